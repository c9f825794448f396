"""Forwarding and replies (client issue, §3): Bob forwards Alice's photo to Carol, who is not Alice's
friend. Bob's page uploads nothing (the new message names the same blob, so the bytes his
page sends are a small JSON body); Carol's node fetches the photo from Bob's and her page
shows it. Text is forwarded too. Then Alice replies to Bob's message quoting it, and Bob recalls one of his. Carol likes and comments on Bob's moment, which Alice (Bob's
friend, not Carol's) sees without Carol's reactions."""
import re
import sys
import tempfile

from playwright.sync_api import sync_playwright

from common import check, dumped_on_failure, launch, noisy_png, open_chat, screen


def main():
    login_a, login_b, login_c, shots = sys.argv[1:5]
    photo = tempfile.NamedTemporaryFile(suffix=".png", delete=False).name
    noisy_png(photo)
    size = len(open(photo, "rb").read())
    with sync_playwright() as p:
        browser = launch(p)
        pages = {}
        for name, login, viewport in [("Alice", login_a, (1280, 800)), ("Bob", login_b, (375, 740)),
                                      ("Carol", login_c, (1280, 800))]:
            page = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="en-US").new_page()
            page.goto(login)
            page.get_by_role("list", name="Friends").get_by_role("listitem").first.wait_for()
            pages[name] = page
        a, b, c = pages["Alice"], pages["Bob"], pages["Carol"]
        with dumped_on_failure(pages):
            open_chat(a, "Bob")
            a.get_by_label("Attach a photo or file").set_input_files(photo)
            open_chat(b, "Alice")
            shown = b.get_by_role("list", name="Messages").get_by_role("img", name=re.compile(r"photo .*\.png"))
            shown.wait_for(timeout=20000)
            b.wait_for_function("img => img.complete && img.naturalWidth === 80", arg=shown.element_handle(),
                                timeout=20000)

            # Bob forwards it: what his page sends is counted.
            sent = []
            b.on("request", lambda request: sent.append((request.method, request.url, len(request.post_data_buffer or b""))))
            message = b.get_by_role("list", name="Messages").get_by_role("listitem").filter(
                has=b.get_by_role("img", name=re.compile(r"photo .*\.png")))
            message.get_by_role("button", name="Forward").click()
            chooser = b.get_by_role("dialog", name="Forward to…")
            chooser.wait_for()
            b.screenshot(path=f"{shots}/forward-phone.png")
            chooser.get_by_role("button", name="Forward to Carol").click()
            b.get_by_text("Forwarded to Carol.").wait_for()
            uploads = [r for r in sent if r[0] == "POST" and "/v1/attachments" in r[1]]
            check(not uploads, f"forwarding uploaded again: {uploads}")
            body = sum(r[2] for r in sent if r[0] == "POST")
            check(body < 1024 < size, f"Bob's page sent {body} bytes to forward a {size}-byte photo")

            # Carol gets the photo from Bob (she is not Alice's friend).
            open_chat(c, "Bob")
            forwarded = c.get_by_role("list", name="Messages").get_by_role("img", name=re.compile(r"photo .*\.png"))
            forwarded.wait_for(timeout=30000)
            c.wait_for_function("img => img.complete && img.naturalWidth === 80", arg=forwarded.element_handle(),
                                timeout=30000)
            check(c.get_by_role("list", name="Chats").get_by_role("button", name=re.compile("Alice")).count() == 0,
                  "Carol has a chat with Alice")
            c.screenshot(path=f"{shots}/forwarded-desktop.png")

            # Text is forwarded as written.
            a.get_by_label("Message", exact=True).fill("meet at 6 <b>sharp</b>")
            a.get_by_role("button", name="Send").click()
            text = b.get_by_role("list", name="Messages").get_by_role("listitem").filter(has_text="meet at 6 <b>sharp</b>")
            text.wait_for(timeout=20000)
            text.get_by_role("button", name="Forward").click()
            chooser.get_by_role("button", name="Forward to Carol").click()
            c.get_by_role("list", name="Messages").get_by_text("meet at 6 <b>sharp</b>").wait_for(timeout=20000)

            # Alice replies to Bob's message quoting it: both pages show the quote in the bubble.
            b.get_by_label("Message", exact=True).fill("which trail?")
            b.get_by_role("button", name="Send").click()
            asked = a.get_by_role("list", name="Messages").get_by_role("listitem").filter(has_text="which trail?")
            asked.wait_for(timeout=20000)
            asked.get_by_role("button", name="Reply").click()
            a.get_by_text("Replying to Bob: which trail?").wait_for()
            a.get_by_label("Message", exact=True).fill("the ridge")
            a.get_by_role("button", name="Send").click()
            a.locator("#quoting").wait_for(state="hidden")  # the reply bar goes once it is sent
            answer = b.get_by_role("list", name="Messages").get_by_role("listitem").filter(has_text="the ridge")
            answer.locator(".quote").filter(has_text="Me: which trail?").wait_for(timeout=20000)
            a.get_by_role("list", name="Messages").get_by_role("listitem").filter(has_text="the ridge").locator(
                ".quote").filter(has_text="Bob: which trail?").wait_for()
            b.screenshot(path=f"{shots}/reply-phone.png")
            a.screenshot(path=f"{shots}/reply-desktop.png")

            # Bob recalls a message (撤回) at once: both pages say so, and its text is gone.
            b.get_by_label("Message", exact=True).fill("meant for someone else")
            b.get_by_role("button", name="Send").click()
            a.get_by_role("list", name="Messages").get_by_text("meant for someone else").wait_for(timeout=20000)
            mine = b.get_by_role("list", name="Messages").get_by_role("listitem").filter(has_text="meant for someone else")
            mine.get_by_role("button", name="Recall").click()
            b.get_by_role("list", name="Messages").get_by_text("You recalled a message").wait_for(timeout=20000)
            a.get_by_role("list", name="Messages").get_by_text("Bob recalled a message").wait_for(timeout=20000)
            check(a.get_by_role("list", name="Messages").get_by_text("meant for someone else").count() == 0,
                  "the recalled text is still on Alice's page")
            b.screenshot(path=f"{shots}/recall-phone.png")
            # Two minutes later (Bob's node's clock, moved by the test), his node refuses.
            b.get_by_label("Message", exact=True).fill("kept for good")
            b.get_by_role("button", name="Send").click()
            a.get_by_role("list", name="Messages").get_by_text("kept for good").wait_for(timeout=20000)
            print("two minutes pass", file=sys.stderr, flush=True)
            sys.stdin.readline()
            kept = b.get_by_role("list", name="Messages").get_by_role("listitem").filter(has_text="kept for good")
            kept.get_by_role("button", name="Recall").click()
            b.get_by_role("alert").filter(
                has_text="too late: a message can be recalled within 2 minutes of sending it").wait_for(timeout=20000)
            # The same reason in 简体中文, not the node's English.
            b.get_by_label("Language").select_option("zh")
            b.locator("#messages li", has_text="kept for good").get_by_role("button", name="撤回").click()
            b.get_by_role("alert").filter(has_text="太晚了：消息只能在发送后 2 分钟内撤回").wait_for(timeout=20000)
            b.get_by_label("语言").select_option("en")
            check(a.get_by_role("list", name="Messages").get_by_text("kept for good").count() == 1,
                  "a refused recall hid the message")

            # Moments: Carol likes and comments on Bob's; Alice, Bob's friend but not Carol's,
            # sees Bob's moment and not Carol's like or comment.
            screen(b, "Moments")
            b.get_by_label("Share a moment").fill("sunset at the ridge")
            b.get_by_role("button", name="Share").click()
            for page in (a, c):
                screen(page, "Moments")
                page.get_by_role("list", name="Moments").get_by_text("Bob: sunset at the ridge").wait_for(timeout=20000)
            c.get_by_role("button", name="Like Bob's moment").click()
            c.get_by_label("Comment on Bob's moment").fill("gorgeous 好美")
            c.get_by_role("button", name="Comment", exact=True).click()
            b.get_by_text("♥ Carol").wait_for(timeout=20000)
            b.get_by_role("list", name="Comments").get_by_text("Carol: gorgeous 好美").wait_for(timeout=20000)
            a.get_by_role("button", name="Like Bob's moment").click()
            b.get_by_text(re.compile(r"♥ (Carol, Alice|Alice, Carol)")).wait_for(timeout=20000)
            a.get_by_text("♥ Me").wait_for()
            c.get_by_text("♥ Me").wait_for()
            check(a.get_by_role("list", name="Moments").get_by_text("Carol").count() == 0,
                  "Alice sees Carol's like or comment")
            check(c.get_by_role("list", name="Moments").get_by_text("Alice").count() == 0, "Carol sees Alice's like")
            b.screenshot(path=f"{shots}/moments-reactions-phone.png", full_page=True)
            c.screenshot(path=f"{shots}/moments-reactions-desktop.png", full_page=True)
        browser.close()
    print("ok")


main()
