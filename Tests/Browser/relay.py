"""Mail through a mutual friend in three browsers (Protocol.md §8.5): Alice writes to Bob, who
is away, with a photo; her page shows each message "held by Carol for Bob" once Carol holds
it, and Carol's Settings (in 简体中文) say she holds one conversation. Alice leaves; Bob comes
while only Carol is up and his phone shows both, the photo opened, "via Carol"; he reads them.
Alice, back while Bob is gone, sees them "delivered via Carol", read.

Arguments: Alice's and Carol's login links, the screenshot directory. Then, on standard
input, Bob's login link (after "alice sent") and Alice's new one (after "bob read")."""
import re
import sys
import tempfile

from playwright.sync_api import sync_playwright

from common import check, dumped_on_failure, launch, noisy_png, open_chat, screen


def relay_notes(page, text):
    """The relay notes of the bubbles in the open conversation that say `text`."""
    return page.get_by_role("list", name="Messages").locator(".meta .relay", has_text=text)


def main():
    login_a, login_c, shots = sys.argv[1:4]
    photo = tempfile.NamedTemporaryFile(suffix=".png", delete=False).name
    noisy_png(photo)
    with sync_playwright() as p:
        browser = launch(p)
        a = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US").new_page()
        c = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
        pages = {"Alice": a, "Carol": c}
        with dumped_on_failure(pages):
            for page, login in [(a, login_a), (c, login_c)]:
                page.goto(login)
                page.get_by_role("navigation").wait_for()

            # Alice writes to Bob, who is away: text, then a photo. Carol holds both for him.
            open_chat(a, "Bob")
            a.get_by_label("Message", exact=True).fill("the lake at 6? <b>bring</b> boots")
            a.get_by_role("button", name="Send").click()
            a.get_by_label("Attach a photo or file").set_input_files(photo)
            held = relay_notes(a, "held by Carol for Bob")
            held.nth(1).wait_for(timeout=20000)
            check(held.count() == 2, f"Alice's page shows 'held by Carol for Bob' on {held.count()} messages, not 2")
            check(a.get_by_text("<b>bring</b>").count() == 1, "the text's markup is not shown as text")
            a.screenshot(path=f"{shots}/relay-held-desktop.png")

            # Carol's Settings say what she holds, in 简体中文.
            screen(c, "设置")
            c.get_by_text("正在为朋友保管 1 个会话的消息").wait_for(timeout=20000)
            c.screenshot(path=f"{shots}/relay-settings-zh-desktop.png")

            print("alice sent", flush=True)
            login_b = sys.stdin.readline().strip()
            b = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-US").new_page()
            pages["Bob"] = b
            b.goto(login_b)
            b.get_by_role("navigation").wait_for()
            open_chat(b, "Alice")
            messages = b.get_by_role("list", name="Messages")
            messages.get_by_text("the lake at 6?").wait_for(timeout=20000)
            shown = messages.get_by_role("img", name=re.compile(r"photo .*\.png"))
            shown.wait_for(timeout=20000)
            b.wait_for_function("img => img.complete && img.naturalWidth === 80", arg=shown.element_handle(),
                                timeout=20000)
            via = relay_notes(b, "via Carol")
            via.nth(1).wait_for(timeout=20000)
            check(via.count() == 2, f"Bob's phone shows 'via Carol' on {via.count()} messages, not 2")
            b.screenshot(path=f"{shots}/relay-via-phone.png")
            print("bob read", flush=True)

            login_a2 = sys.stdin.readline().strip()
            a.goto(login_a2)
            a.get_by_role("navigation").wait_for()
            open_chat(a, "Bob")
            delivered = relay_notes(a, "delivered via Carol")
            delivered.nth(1).wait_for(timeout=20000)
            check(relay_notes(a, "held by").count() == 0, "Alice's page still says 'held by' after delivery")
            a.get_by_role("list", name="Messages").locator(".ticks.read").nth(1).wait_for(timeout=20000)
            a.screenshot(path=f"{shots}/relay-delivered-desktop.png")
        browser.close()
    print("ok")


if __name__ == "__main__":
    main()
