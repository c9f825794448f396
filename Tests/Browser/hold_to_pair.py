"""Two people hold the pair button at once, each in their own browser (chromium via
Playwright), become friends, and chat.

Usage: hold_to_pair.py LOGIN_A NAME_A LOGIN_B NAME_B SCREENSHOT_DIR

Both pages show the other person and the same six-digit code, then that they are friends,
and each lists the other as a friend. Letting go early first: the page says pairing stopped.
Then a message typed on one page appears live on the other, and comes back as read.
Exits 1 with the reason on the first failed check.
"""
import re
import sys

from playwright.sync_api import sync_playwright

from common import check, launch, screen


def main():
    login_a, name_a, login_b, name_b, shots = sys.argv[1:6]
    with sync_playwright() as p:
        browser = launch(p)
        a = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
        b = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        for page, login in [(a, login_a), (b, login_b)]:
            page.goto(login)
            page.get_by_role("list", name="Nearby").get_by_role("listitem").first.wait_for()  # the other node is nearby

        # Letting go early stops the press, and the page says so.
        hold = a.get_by_role("button", name="Hold to pair")
        hold.hover()
        a.mouse.down()
        a.get_by_text("Looking for someone else pressing").wait_for()
        a.mouse.up()
        a.get_by_text("No one else was pressing, so you are not paired").wait_for()

        # The same from the keyboard: Space held is the press, released early it stops.
        hold.focus()
        a.keyboard.down("Space")
        a.get_by_text("Looking for someone else pressing").wait_for()
        a.keyboard.up("Space")
        a.get_by_text("No one else was pressing, so you are not paired").wait_for()

        # Both hold: the same code on both pages, then friends.
        for page in [a, b]:
            page.get_by_role("button", name="Hold to pair").hover()
            page.mouse.down()
        a.get_by_text(f"Pairing with {name_b}").wait_for(timeout=20000)
        b.get_by_text(f"Pairing with {name_a}").wait_for(timeout=20000)
        codes = [page.get_by_label("pairing code").text_content() for page in [a, b]]
        check(codes[0] == codes[1] and re.fullmatch(r"\d{3} \d{3}", codes[0] or ""), f"codes {codes!r}")
        a.screenshot(path=f"{shots}/pair-phone.png", full_page=True)
        b.screenshot(path=f"{shots}/pair-desktop.png", full_page=True)
        a.get_by_text(f"You and {name_b} are friends now").wait_for(timeout=20000)
        b.get_by_text(f"You and {name_a} are friends now").wait_for(timeout=20000)
        for page in [a, b]:
            page.mouse.up()
        # Letting go once paired keeps the friend; the code stays to be checked.
        check(a.get_by_label("pairing code").text_content() == codes[0], "the code went away after letting go")
        for page in [a, b]:
            page.get_by_role("button", name="Codes match").click()
        a.get_by_text(f"You and {name_b} are friends, and your codes match").wait_for()
        a.get_by_role("list", name="Friends").get_by_text(name_b).wait_for()
        b.get_by_role("list", name="Friends").get_by_text(name_a).wait_for()
        a.get_by_role("list", name="Nearby").get_by_text(f"{name_b} — friend").wait_for()

        # A message typed on one page appears live on the other, and comes back as read.
        for page in [a, b]:
            page.get_by_role("navigation").get_by_role("button", name="Chats").click()
        a.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(name_b))).click()
        a.get_by_label("Message", exact=True).fill("hello from the browser")
        a.get_by_role("button", name="Send").click()
        a.get_by_role("list", name="Messages").get_by_text("Me: hello from the browser").wait_for()
        chat = b.get_by_role("list", name="Chats").get_by_role("button", name=re.compile("1 unread"))
        chat.wait_for(timeout=20000)
        chat.click()
        b.get_by_role("list", name="Messages").get_by_text(f"{name_a}: hello from the browser").wait_for()
        # Her message's ticks say it was read (blue ✓✓), beside the time it was sent.
        sent = a.get_by_role("list", name="Messages").get_by_role("listitem").filter(has_text="hello from the browser")
        sent.get_by_role("img", name="read").wait_for(timeout=20000)
        check(re.fullmatch(r"\d\d:\d\d( [AP]M)?", sent.locator("time").inner_text()) is not None,
              f"the message's time reads {sent.locator('time').inner_text()!r}")
        a.screenshot(path=f"{shots}/chat-phone.png", full_page=True)
        b.screenshot(path=f"{shots}/chat-desktop.png", full_page=True)
        browser.close()
    print("ok")


main()
