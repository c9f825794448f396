"""Text from peers is text on every screen: a friend wrote markup and scripts in a message,
a group's name, posts and a moment; a stranger on the radar and a hostile peer pressing pair
carry them in their names. Nothing becomes an element, no script runs.

Usage: hostile_text.py LOGIN HOSTILE SCREENSHOT_DIR
Exits 1 with the reason on the first failed check.
"""
import re
import sys

from playwright.sync_api import sync_playwright

from common import check, launch, screen


def main():
    login, hostile, shots = sys.argv[1:4]
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        dialogs, errors = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(login)

        def clean(where):
            check(page.locator("main img, main b, main i, main script, main iframe").count() == 0,
                  f"peer text became elements on {where}")
            check(not dialogs, f"a script from a peer ran on {where}: {dialogs!r}")

        # The radar: a stranger's name as text. Then a hostile peer presses pair with it.
        page.get_by_role("list", name="Nearby").get_by_text(hostile).first.wait_for(timeout=20000)
        clean("the radar")
        page.get_by_role("button", name="Hold to pair").hover()
        page.mouse.down()
        page.get_by_text(re.compile(r"Pairing with .*<img")).wait_for(timeout=20000)
        clean("hold to pair")
        page.mouse.up()

        screen(page, "Chats")
        page.get_by_role("list", name="Chats").get_by_role("button").first.click()
        page.get_by_role("list", name="Messages").get_by_text(hostile).wait_for(timeout=20000)
        clean("a conversation")

        screen(page, "Groups")
        page.get_by_role("list", name="Your groups").get_by_role("button", name=re.compile("<i>")).first.click()
        page.get_by_role("list", name="Posts").get_by_text(hostile).wait_for(timeout=20000)
        clean("a group")
        page.screenshot(path=f"{shots}/hostile-group-desktop.png", full_page=True)

        screen(page, "Moments")
        page.get_by_role("list", name="Moments").get_by_text(hostile).wait_for(timeout=20000)
        clean("moments")
        screen(page, "Discover")
        page.get_by_role("list", name="Discover").get_by_text(hostile).first.wait_for(timeout=20000)
        page.get_by_role("list", name="Feed").get_by_text(hostile).first.wait_for(timeout=20000)
        clean("discover and the feed")
        screen(page, "Status")
        page.get_by_role("list", name="Connected friends").get_by_role("listitem").first.wait_for(timeout=20000)
        clean("status")
        check(not errors, f"page errors: {errors!r}")
        browser.close()
    print("ok")


main()
