"""A phone on the LAN: Chromium on another host logs in to Alice's node over HTTPS with
the link from `wemeet open --lan` (its certificate accepted by its public key, as a person
accepts it after checking the fingerprint), holds pair while Bob presses on his machine,
chats with him, sets a password in Settings, and a second phone logs in by typing it.

Usage: phone_lan.py LINK PUBLIC_KEY_PIN FRIEND_NAME PASSWORD SCREENSHOT_DIR

Prints (on stderr) "holding" once the phone holds pair (the test then presses on Bob's node), "code
NNN NNN" once paired, and "ok" at the end. Exits 1 with the reason on the first failed check.
"""
import re
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from common import check, dumped_on_failure, screen

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def main():
    link, pin, friend, password, shots = sys.argv[1:6]
    origin = "https://" + urlsplit(link).netloc
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", f"--ignore-certificate-errors-spki-list={pin}"])
        phone = browser.new_context(**PHONE).new_page()
        pages = {"phone": phone}
        with dumped_on_failure(pages):
            phone.goto(link)
            phone.get_by_role("list", name="Nearby").get_by_text(friend).wait_for(timeout=30000)
            check(phone.evaluate("location.protocol") == "https:", "the app was not served over HTTPS")
            phone.screenshot(path=f"{shots}/phone-lan-radar.png", full_page=True)

            # Hold pair (a finger on the button); Bob presses on his machine.
            box = phone.get_by_role("button", name="Hold to pair").bounding_box()
            phone.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            phone.mouse.down()
            phone.get_by_text("Looking for someone else pressing").wait_for()
            print("holding", file=sys.stderr, flush=True)
            phone.get_by_text(f"You and {friend} are friends now").wait_for(timeout=60000)
            phone.mouse.up()
            code = phone.get_by_label("pairing code").text_content()
            check(re.fullmatch(r"\d{3} \d{3}", code or ""), f"code {code!r}")
            print(f"code {code}", file=sys.stderr, flush=True)
            phone.screenshot(path=f"{shots}/phone-lan-paired.png", full_page=True)
            phone.get_by_role("button", name="Codes match").click()

            # Chat with Bob: the message reaches his node.
            screen(phone, "Chats")
            phone.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(friend))).click()
            phone.get_by_label("Message", exact=True).fill("hello from my phone")
            phone.get_by_role("button", name="Send").click()
            phone.get_by_role("list", name="Messages").get_by_role("listitem").filter(
                has_text="hello from my phone").get_by_role("img", name=re.compile("^(delivered|read)$")).wait_for(
                timeout=30000)
            phone.screenshot(path=f"{shots}/phone-lan-chat.png", full_page=True)

            # A password, typed into the page (never on a command line).
            screen(phone, "Settings")
            phone.get_by_label("New password (at least 8 characters)").fill("short")
            phone.get_by_role("button", name="Set password").click()
            check(phone.get_by_text("Password saved.").count() == 0, "a 5-character password was saved")
            phone.get_by_label("New password (at least 8 characters)").fill(password)
            phone.get_by_role("button", name="Set password").click()
            phone.get_by_text("Password saved.").wait_for()
            phone.get_by_text("A password is set.").wait_for()
            phone.screenshot(path=f"{shots}/phone-lan-settings.png", full_page=True)

            # A second phone, no link: the login page asks for the password.
            other = browser.new_context(**PHONE).new_page()
            pages["second phone"] = other
            other.goto(origin + "/")
            other.get_by_label("Password").fill("not the password")
            other.get_by_role("button", name="Log in").click()
            other.get_by_text("That password is not right.").wait_for()
            other.screenshot(path=f"{shots}/login-phone.png", full_page=True)
            other.get_by_label("Password").fill(password)
            other.get_by_role("button", name="Log in").click()
            other.get_by_role("list", name="Friends").get_by_text(friend, exact=True).wait_for(timeout=30000)
            other.get_by_text("Wrong passwords tried on this node since your last login: 1.").wait_for()
            other.screenshot(path=f"{shots}/phone-lan-second.png", full_page=True)
        browser.close()
    print("ok", file=sys.stderr, flush=True)


main()
