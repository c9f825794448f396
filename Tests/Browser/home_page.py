"""The web app's home page in a real browser (Debian's chromium, driven by Playwright).

Usage: home_page.py LOGIN_URL OWN_NAME FRIEND_NAME SCREENSHOT_DIR

Logs in through the one-time link, checks that the node's own name and its friend's name
(both hostile markup) are shown as text and never parsed as HTML, that controls are found
by role and accessible name, and saves screenshots at phone and desktop size. Exits 1 with
the reason on the first failed check.
"""
import sys

from playwright.sync_api import sync_playwright

from common import check, launch, screen


def main():
    login, own, friend, shots = sys.argv[1:5]
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(login)
        check(page.url.split("#")[0].endswith("/"), f"the login link led to {page.url}, not the app")
        page.get_by_role("heading", name="Friends").wait_for()
        page.get_by_role("list", name="Friends").get_by_role("listitem").filter(has_text=friend).wait_for()
        me = page.locator("#me").text_content()
        check(me.startswith(own + " · "), f"own name shown as {me!r}")
        items = [item.locator(".name").text_content()
                 for item in page.get_by_role("list", name="Friends").get_by_role("listitem").all()]
        check(friend in items, f"friend's name not shown as text: {items!r}")
        check(page.locator("main img, main b, main script").count() == 0, "peer text was parsed as HTML")
        check(not dialogs, f"a script from a name ran: {dialogs!r}")
        check(not errors, f"page errors: {errors!r}")
        check(page.get_by_text("No one nearby yet").is_visible(), "no empty state for the radar")
        # Used once: the same link in a fresh browser does not log in again.
        again = browser.new_context().new_page()
        again.goto(login)
        check("used already" in again.content(), "a login link worked twice")
        for name, size in [("phone", (375, 740)), ("desktop", (1280, 800))]:
            page.set_viewport_size({"width": size[0], "height": size[1]})
            page.screenshot(path=f"{shots}/home-{name}.png", full_page=True)
        browser.close()
    print("ok")


main()
