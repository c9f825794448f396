"""The client's everyday screens (client issue, §2), with two friends in their browsers: Alice
on a desktop, Bob on a phone.

Bob turns notifications on, and a message from Alice, written while he is on another screen,
is shown by Chromium's Notification API; the Chats tab and the page's title count it unread.
On his phone the conversation is one pane with Back and a compose bar pinned above the tab
bar; messages have their time, ticks and a day's separator; "Earlier messages" leaves what he
was reading where it was. Avatars are the same on every screen. Photos open in a viewer
(next, previous, save, close). A voice note shows a timer while recorded and is cancelled by
sliding away. Alice @mentions Bob in a group he muted, and he is notified. Screenshots at
both sizes."""
import re
import sys
import tempfile

from playwright.sync_api import sync_playwright

from common import check, dumped_on_failure, launch, screen
from groups_and_media import png

# Records each notification the page makes (and whether Chromium showed it), still through
# the browser's own Notification.
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  if (!Real) return;
  window.__notifications = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      const entry = { title, body: options?.body ?? "", shown: false };
      window.__notifications.push(entry);
      this.addEventListener("show", () => { entry.shown = true; });
    }
  }
  window.Notification = Recorded;
})();
"""

SEND_MANY = """async ([friend, count]) => {
  const proof = localStorage.getItem("wemeet-proof");
  for (let i = 1; i <= count; i++) {
    const response = await fetch(`/v1/messages/${encodeURIComponent(friend)}`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-WeMeet-Proof": proof },
      body: JSON.stringify({ text: `backlog ${i}`, attachments: [] }) });
    if (!response.ok) throw new Error(`message ${i}: ${response.status}`);
  }
}"""


def hue(locator):
    return locator.evaluate("node => node.style.getPropertyValue('--hue')")


def main():
    login_a, name_a, login_b, name_b, shots = sys.argv[1:6]
    photos = []
    for width in (64, 96):
        path = tempfile.NamedTemporaryFile(suffix=".png", delete=False).name
        png(path, width=width)
        photos.append(path)
    with sync_playwright() as p:
        browser = launch(p, microphone=True)
        alice_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        alice_context.grant_permissions(["notifications"])
        alice_context.add_init_script(RECORD_NOTIFICATIONS)
        bob_context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-US",
                                          accept_downloads=True)
        bob_context.grant_permissions(["notifications"])
        bob_context.add_init_script(RECORD_NOTIFICATIONS)
        a, b = alice_context.new_page(), bob_context.new_page()
        errors = []
        with dumped_on_failure({name_a: a, name_b: b}):
            for page, login in [(a, login_a), (b, login_b)]:
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(login)
                page.get_by_role("list", name="Friends").get_by_role("listitem").first.wait_for()

            # Bob sees notifications are on (the browser allows them: granted in this test).
            screen(b, "Settings")
            b.get_by_text("Notifications are on.").wait_for()
            screen(b, "Radar")
            radar_hue = hue(b.get_by_role("list", name="Friends").locator(".avatar").first)

            # Alice writes a backlog of 60 messages, then one more from the page.
            screen(a, "Chats")
            friend_id = a.evaluate("""async () => {
              const proof = localStorage.getItem("wemeet-proof");
              const answer = await fetch("/v1/friends", { headers: { "X-WeMeet-Proof": proof } });
              return (await answer.json()).friends[0].nodeID;
            }""")
            a.evaluate(SEND_MANY, [friend_id, 60])
            a.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(name_b))).click()
            a.get_by_label("Message", exact=True).fill("latest news")
            a.get_by_role("button", name="Send").click()

            # Bob, on the radar, is notified, and the Chats tab and the title count 61 unread.
            b.wait_for_function(
                "() => (window.__notifications ?? []).some(n => n.title === 'Alice' && n.body === 'latest news')",
                timeout=20000)
            # Shown by Chromium itself (its "show" event), not only asked for.
            b.wait_for_function("() => window.__notifications.some(n => n.title === 'Alice' && n.shown)", timeout=20000)
            shown = b.evaluate("() => window.__notifications")
            check(all(n["title"] == name_a for n in shown), f"notifications: {shown!r}")
            b.wait_for_function("() => document.title === '(61) WeMeet'", timeout=20000)
            check(b.locator("#badge-chats").inner_text() == "61", "the Chats tab's badge")

            # The same avatar on the radar and in the chat list.
            screen(b, "Chats")
            chat = b.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(name_a)))
            check(hue(chat.locator(".avatar")) == radar_hue != "", "Alice's avatar differs between screens")
            chat.click()
            messages = b.get_by_role("list", name="Messages")
            messages.get_by_text("latest news").wait_for()
            # One pane: the list is covered, Back is there, the compose bar sits above the tab bar.
            check(b.get_by_role("button", name="Back").first.is_visible(), "no Back on the phone")
            compose = b.locator("#compose").bounding_box()
            tabs = b.get_by_role("navigation").bounding_box()
            check(compose["y"] + compose["height"] <= tabs["y"] + 1 and compose["y"] > 500,
                  f"the compose bar is not pinned above the tab bar: {compose} / {tabs}")
            check(messages.get_by_role("separator").filter(has_text="Today").count() == 1, "no 'Today' separator")
            b.wait_for_function("() => document.title === 'WeMeet'", timeout=20000)
            b.screenshot(path=f"{shots}/conversation-phone.png", full_page=True)

            # Earlier messages: what was on screen stays where it was.
            earlier = b.get_by_role("button", name="Earlier messages")
            earlier.scroll_into_view_if_needed()
            # The page shows the last 50 of 61: backlog 12 is the oldest on screen.
            oldest = messages.get_by_text(re.compile(r": backlog 12$"))
            before = oldest.bounding_box()["y"]
            earlier.click()
            messages.get_by_text(re.compile(r": backlog 1$")).wait_for()
            after = oldest.bounding_box()["y"]
            check(abs(after - before) <= 2, f"earlier messages moved what was read: {before} → {after}")

            # Typing: Bob types, Alice sees "Bob is typing…" under the title; his message ends it.
            b.get_by_label("Message", exact=True).fill("on my")
            a.get_by_text(f"{name_b} is typing…").wait_for(timeout=20000)
            a.screenshot(path=f"{shots}/typing-desktop.png")
            b.get_by_label("Message", exact=True).fill("on my way")
            b.get_by_role("button", name="Send").click()
            a.get_by_role("list", name="Messages").get_by_text("on my way").wait_for(timeout=20000)
            a.wait_for_function("() => document.getElementById('typing').textContent === ''", timeout=20000)
            b.get_by_role("button", name="Back").first.click()
            b.get_by_role("list", name="Chats").wait_for()

            # Photos: two from Alice, opened in the viewer on Bob's phone.
            for photo in photos:
                a.get_by_label("Attach a photo or file").set_input_files(photo)
            chat.click()
            pictures = messages.get_by_role("img", name=re.compile(r"photo .*\.png"))
            pictures.nth(1).wait_for(timeout=20000)
            b.wait_for_function("() => [...document.querySelectorAll('#messages img')].every(i => i.complete && i.naturalWidth > 0)",
                                timeout=20000)
            pictures.first.click()
            viewer = b.get_by_role("dialog", name="Photo viewer")
            viewer.wait_for()
            viewer.get_by_text("1 of 2").wait_for()
            b.screenshot(path=f"{shots}/viewer-phone.png")
            viewer.get_by_role("button", name="Next").click()
            viewer.get_by_text("2 of 2").wait_for()
            check(viewer.get_by_role("button", name="Next").is_disabled(), "Next past the last photo")
            with b.expect_download() as saved:
                viewer.get_by_role("button", name="Save").click()
            check(saved.value.suggested_filename.endswith(".png"), f"saved as {saved.value.suggested_filename}")
            b.keyboard.press("ArrowLeft")
            viewer.get_by_text("1 of 2").wait_for()
            b.keyboard.press("Escape")
            viewer.wait_for(state="hidden")

            # A voice note: a timer while held; sliding away and letting go cancels it.
            talk = b.locator("#talk")  # its name changes while it records
            talk.hover()
            b.mouse.down()
            b.get_by_role("button", name=re.compile(r"^Recording 0:0\d")).wait_for()
            box = talk.bounding_box()
            b.mouse.move(box["x"] - 120, box["y"] - 200)
            b.get_by_role("button", name="Let go to cancel").wait_for()
            b.mouse.up()
            b.get_by_text("Voice note cancelled.").wait_for()
            check(messages.get_by_label(re.compile("voice note")).count() == 0, "a cancelled voice note was sent")

            # Bob's own name for Alice (a remark), and her chat muted: the list says so, her next
            # message neither notifies nor counts in the title.
            b.get_by_label("Chat settings", exact=True).click()
            b.get_by_label("Remark (only you see it)").fill("Ally 同学")
            b.get_by_role("button", name="Save remark").click()
            b.get_by_role("heading", name="Chat with Ally 同学").wait_for()
            b.get_by_role("button", name="Mute notifications").click()
            b.get_by_role("button", name="Unmute").wait_for()
            b.screenshot(path=f"{shots}/chat-menu-phone.png")
            b.get_by_label("Chat settings", exact=True).click()
            b.get_by_role("button", name="Back").first.click()
            row = b.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(r"^Ally 同学 \(Alice\)"))
            row.get_by_text("muted").wait_for()
            notified = b.evaluate("() => window.__notifications.length")
            a.get_by_label("Message", exact=True).fill("quiet please")
            a.get_by_role("button", name="Send").click()
            row.get_by_text("quiet please").wait_for(timeout=20000)
            check(b.evaluate("() => window.__notifications.length") == notified, "a muted chat notified")
            check(b.title() == "WeMeet", f"a muted chat counted in the title: {b.title()!r}")
            check(row.locator(".badge").inner_text() == "1", "the muted chat's own unread count")

            # Alice's desktop: two panes, her avatar colours match Bob's view of her.
            a.get_by_role("list", name="Messages").get_by_role("img", name=re.compile(r"photo .*\.png")).nth(1).wait_for()
            check(a.get_by_role("heading", name="Chats").is_visible() and a.locator("#conversation").is_visible(),
                  "the desktop does not show the list and the conversation side by side")
            a.screenshot(path=f"{shots}/conversation-desktop.png")
            a.get_by_role("list", name="Messages").get_by_role("img", name=re.compile(r"photo .*\.png")).first.click()
            a.get_by_role("dialog", name="Photo viewer").wait_for()
            a.screenshot(path=f"{shots}/viewer-desktop.png")
            a.keyboard.press("Escape")
            # Alice @mentions Bob in a group he muted: the mention notifies him, her other post
            # in it does not.
            screen(a, "Groups")
            a.get_by_label("Group name").fill("Hikers")
            a.get_by_role("button", name="Create group").click()
            a.get_by_role("heading", name="Hikers").wait_for()
            a.locator("#members-box > summary").click()
            a.get_by_label("Invite a friend").select_option(label=name_b)
            a.get_by_role("button", name="Invite", exact=True).click()
            screen(b, "Groups")
            accept = b.get_by_role("button", name="Accept invitation to Hikers")
            accept.wait_for(timeout=20000)
            accept.click()
            b.get_by_role("heading", name="Hikers").wait_for()
            b.get_by_label("Group chat settings").click()
            b.get_by_role("button", name="Mute notifications").click()
            b.get_by_role("button", name="Unmute").wait_for()
            screen(b, "Radar")
            a.get_by_role("list", name="Members").get_by_text(f"{name_b} · member").wait_for(timeout=20000)
            a.get_by_label("Write a post").fill("plain news")
            a.get_by_role("button", name="Post", exact=True).click()
            a.get_by_label("Write a post").fill("are you coming @B")
            a.get_by_role("button", name=f"Mention {name_b}").click()
            check(a.get_by_label("Write a post").input_value() == f"are you coming @{name_b} ", "the mention was not inserted")
            a.get_by_role("button", name="Post", exact=True).click()
            b.wait_for_function(
                "name => window.__notifications.some(n => n.title === `${name} mentioned you in Hikers`)",
                arg=name_a, timeout=20000)
            check(not any(n["body"] == "plain news" for n in b.evaluate("() => window.__notifications")),
                  "a muted group's post notified")

            # Alice types: Bob's phone says so under her name as he calls her (his remark).
            screen(b, "Chats")
            b.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(r"^Ally 同学 \(Alice\)")).click()
            screen(a, "Chats")
            a.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(name_b))).click()
            a.get_by_label("Message", exact=True).fill("let me")
            b.get_by_text("Ally 同学 is typing…").wait_for(timeout=20000)
            b.screenshot(path=f"{shots}/typing-phone.png")
            a.get_by_label("Message", exact=True).fill("")
            b.wait_for_function("() => document.getElementById('typing').textContent === ''", timeout=20000)

            # Bob turns typing indicators off: Alice's typing no longer shows on his phone.
            screen(b, "Settings")
            b.get_by_text("Friends see “typing…” while you write to them").wait_for()
            b.get_by_label("Send and show “typing…”").uncheck()
            b.get_by_text("Saved.").wait_for()
            b.screenshot(path=f"{shots}/settings-help-phone.png", full_page=True)
            screen(b, "Chats")
            b.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(r"^Ally 同学 \(Alice\)")).click()
            b.evaluate("""() => {
              window.__sawTyping = false;
              new MutationObserver(() => { if (document.getElementById("typing").textContent) window.__sawTyping = true; })
                .observe(document.getElementById("typing"), { childList: true, characterData: true, subtree: true });
            }""")
            screen(a, "Chats")
            a.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(name_b))).click()
            a.get_by_label("Message", exact=True).fill("anyone there")
            a.get_by_role("button", name="Send").click()
            b.get_by_role("list", name="Messages").get_by_text("anyone there").wait_for(timeout=20000)
            check(not b.evaluate("() => window.__sawTyping"), "typing shown with the setting off")

            # The same on Alice's desktop: a message while she reads Groups notifies her and
            # counts on the Chats button and in the title.
            screen(a, "Groups")
            b.get_by_label("Message", exact=True).fill("ping from Bob")
            b.get_by_role("button", name="Send").click()
            a.wait_for_function(
                "() => (window.__notifications ?? []).some(n => n.title === 'Bob' && n.body === 'ping from Bob' && n.shown)",
                timeout=20000)
            a.wait_for_function("() => /^\\(\\d+\\) WeMeet$/.test(document.title)", timeout=20000)
            check(a.locator("#badge-chats").inner_text() not in ("", "0"), "no count on the desktop's Chats button")
            a.screenshot(path=f"{shots}/notified-desktop.png")
            # Her remark for Bob and his chat pinned, from the chat's ⋯ on a desktop.
            screen(a, "Chats")
            a.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(name_b))).click()
            a.get_by_label("Chat settings", exact=True).click()
            a.get_by_label("Remark (only you see it)").fill("Bobby")
            a.get_by_role("button", name="Save remark").click()
            a.get_by_role("heading", name="Chat with Bobby").wait_for()
            a.get_by_role("button", name="Pin to top").click()
            a.get_by_role("button", name="Unpin").wait_for()
            a.get_by_label("Chat settings", exact=True).click()
            a.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(r"^Bobby \(Bob\)")).get_by_text(
                "pinned").wait_for()
            a.screenshot(path=f"{shots}/chat-menu-desktop.png")
            # A voice note cancelled on a desktop: slide away from the button and let go.
            talk = a.locator("#talk")
            talk.hover()
            a.mouse.down()
            a.get_by_role("button", name=re.compile(r"^Recording 0:0\d")).wait_for()
            box = talk.bounding_box()
            a.mouse.move(box["x"] - 300, box["y"] - 200)
            a.get_by_role("button", name="Let go to cancel").wait_for()
            a.mouse.up()
            a.get_by_text("Voice note cancelled.").wait_for()
            check(not errors, f"page errors: {errors}")
        browser.close()
    print("ok")


main()
