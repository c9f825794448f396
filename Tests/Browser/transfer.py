"""A file transfer as a person follows it (client issue, §2): Bob's node fetches big files only
when asked, so Alice's file is offered with one Save. Pressed, it is fetched with a progress
bar, its speed and the time left; Bob cancels halfway (the holder stalls there), and Save later
goes on and writes the file, byte for byte.

Usage: transfer.py BOB_LOGIN SENDER_NAME FILE SCREENSHOT_DIR

Prints (on stderr) "cancelled" once Bob cancelled (the test then brings the sender back) and
"ok" at the end. Exits 1 with the reason on the first failed check.
"""
import os
import re
import sys

from playwright.sync_api import sync_playwright

from common import check, dumped_on_failure, launch, screen


def main():
    login, sender, path, shots = sys.argv[1:5]
    name = os.path.basename(path)
    with sync_playwright() as p:
        browser = launch(p)
        for viewport in [{"width": 375, "height": 740}]:
            context = browser.new_context(viewport=viewport, locale="en-US", accept_downloads=True)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            with dumped_on_failure({"bob": page}):
                page.goto(login)
                screen(page, "Chats")
                page.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(sender))).click()
                messages = page.get_by_role("list", name="Messages")
                save = messages.get_by_role("button", name=re.compile(r"^Save " + re.escape(name)))
                save.wait_for(timeout=20000)
                messages.get_by_text(re.compile(re.escape(name) + r" \(\d+\.\d MiB\) — not fetched yet")).wait_for()
                save.click()
                # Halfway (the holder answers no more): how far, how fast, how long still.
                bar = messages.get_by_role("progressbar", name=f"Fetching {name}")
                # Re-read each time: every progress event draws a new bar.
                page.wait_for_function(
                    """label => [...document.querySelectorAll("progress")]
                      .some(bar => bar.getAttribute("aria-label") === label && Number(bar.value) >= 40)""",
                    arg=f"Fetching {name}", timeout=20000)
                messages.get_by_text(re.compile(r"Fetching " + re.escape(name) + r" · \d+ % · [\d.]+ (B|KiB|MiB|GiB)/s · \d+ (s|min) left")).wait_for(timeout=20000)
                page.screenshot(path=f"{shots}/transfer-phone.png")
                # The same on a desktop: the bar, the figures and Cancel in the conversation pane.
                page.set_viewport_size({"width": 1280, "height": 800})
                check(page.get_by_role("heading", name="Chats").is_visible(), "the desktop shows no chat list")
                check(bar.is_visible() and messages.get_by_role("button", name=f"Cancel fetching {name}").is_visible(),
                      "the transfer is not shown on a desktop")
                page.screenshot(path=f"{shots}/transfer-desktop.png")
                messages.get_by_role("button", name=f"Cancel fetching {name}").click()
                save.wait_for(timeout=20000)
                check(bar.count() == 0, "the progress bar stayed after Cancel")
                print("cancelled", file=sys.stderr, flush=True)
                # The sender is back: Save goes on from where it stopped and writes the file.
                with page.expect_download(timeout=60000) as saved:
                    save.click()
                with open(saved.value.path(), "rb") as got, open(path, "rb") as sent:
                    check(got.read() == sent.read(), "the saved file differs from the one sent")
                check(saved.value.suggested_filename == name, f"saved as {saved.value.suggested_filename}")
                # Here now: one Save, which saves it again at once.
                messages.get_by_role("button", name=re.compile(r"^Save " + re.escape(name))).wait_for()
                check(messages.get_by_role("button", name=f"Cancel fetching {name}").count() == 0, "Cancel after it arrived")
                check(not errors, f"page errors: {errors}")
        browser.close()
    print("ok", file=sys.stderr, flush=True)


main()
