"""Two friends, each in their own browser (chromium via Playwright, with a fake microphone):
a photo, a voice note, a group with an invitation, a post and a comment, discover and join,
the hide setting, and the language switch. Controls are found by role and accessible name.

Usage: groups_and_media.py LOGIN_A NAME_A LOGIN_B NAME_B SCREENSHOT_DIR

Screenshots of every screen, phone size (A) and desktop size (B), go to SCREENSHOT_DIR.
Exits 1 with the reason on the first failed check.
"""
import re
import struct
import sys
import tempfile
import zlib

from playwright.sync_api import sync_playwright

from common import check, launch, screen


def png(path, width=64, height=48):
    """A small real PNG (red/blue stripes)."""
    rows = b"".join(b"\x00" + b"".join(b"\xff\x00\x00" if (x // 8) % 2 else b"\x00\x00\xff" for x in range(width))
                    for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def create_group(page, name, public):
    """Creates a group from the Groups screen (open) and waits for its view. On a phone an
    open group covers the list: Back first, as a person would."""
    back = page.locator("#group-back")
    if back.is_visible():
        back.click()
    page.get_by_label("Group name").fill(name)
    if public:
        page.get_by_text("Public (friends of members can find it)").click()
    page.get_by_role("button", name="Create group").click()
    page.get_by_role("heading", name=name).wait_for()


def open_members(page):
    """Opens the open group's members and settings (folded away under the group's name)."""
    box = page.locator("#members-box")
    if box.get_attribute("open") is None:
        box.locator("summary").click()


def post(page, text):
    """Posts in the open group."""
    page.get_by_label("Write a post").fill(text)
    page.get_by_role("button", name="Post", exact=True).click()


def main():
    login_a, name_a, login_b, name_b, shots = sys.argv[1:6]
    photo = tempfile.NamedTemporaryFile(suffix=".png", delete=False).name
    png(photo)
    with sync_playwright() as p:
        browser = launch(p, microphone=True)
        a = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-US").new_page()
        b = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US").new_page()
        dialogs, errors = [], []
        for page, login in [(a, login_a), (b, login_b)]:
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(login)
            page.get_by_role("list", name="Friends").get_by_role("listitem").first.wait_for()
        a.screenshot(path=f"{shots}/radar-phone.png", full_page=True)
        b.screenshot(path=f"{shots}/radar-desktop.png", full_page=True)

        # A photo attached on one page renders on the other.
        for page, other in [(a, name_b), (b, name_a)]:
            screen(page, "Chats")
            page.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(other))).click()
        a.get_by_label("Attach a photo or file").set_input_files(photo)
        shown = b.get_by_role("list", name="Messages").get_by_role("img", name=re.compile(r"photo .*\.png"))
        shown.wait_for(timeout=20000)
        b.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=shown.element_handle(), timeout=20000)

        # A voice note recorded on one page (held for about a second and a half) plays on the other.
        talk = a.get_by_role("button", name="Hold to talk")
        talk.hover()
        a.mouse.down()
        a.get_by_role("button", name=re.compile(r"^Recording")).wait_for()
        a.wait_for_timeout(1500)  # the length of the voice note: the person holds the button
        a.mouse.up()
        voice = b.get_by_role("list", name="Messages").get_by_label(f"voice note from {name_a}")
        voice.wait_for(timeout=20000)
        length = b.get_by_text(re.compile(r"voice note, \d+\.\d s")).last.text_content()
        seconds = float(re.search(r"(\d+\.\d)", length).group(1))
        check(seconds > 0.5, f"voice note length {length!r}")
        b.evaluate("audio => audio.play()", voice.element_handle())
        b.wait_for_function("audio => audio.currentTime > 0 && audio.duration > 0", arg=voice.element_handle(),
                            timeout=20000)
        # A file downloads with a progress bar, byte for byte.
        notes = tempfile.NamedTemporaryFile(suffix=".txt", delete=False)
        notes.write(b"packing list: water, map, torch\n" * 2000)
        notes.close()
        a.get_by_label("Attach a photo or file").set_input_files(notes.name)
        name = notes.name.rsplit("/", 1)[1]
        download = b.get_by_role("button", name=re.compile(re.escape(f"Save {name}")))
        download.wait_for(timeout=20000)
        with b.expect_download() as saved:
            download.click()
        with open(saved.value.path(), "rb") as got, open(notes.name, "rb") as sent:
            check(got.read() == sent.read(), "the downloaded file differs")
        check(b.get_by_role("progressbar", name=f"Saving {name}").get_attribute("value") == "100",
              "the download's progress bar did not reach 100")
        a.screenshot(path=f"{shots}/chats-phone.png", full_page=True)
        b.screenshot(path=f"{shots}/chats-desktop.png", full_page=True)

        # A group is created, a friend invited, the invitation accepted, a post made and commented on.
        screen(a, "Groups")
        create_group(a, "Hikers", public=False)
        open_members(a)
        a.get_by_label("Invite a friend").select_option(label=name_b)
        a.get_by_role("button", name="Invite", exact=True).click()
        a.get_by_role("list", name="Members").get_by_text(f"{name_b} · invited").wait_for()
        screen(b, "Groups")
        accept = b.get_by_role("button", name="Accept invitation to Hikers")
        accept.wait_for(timeout=20000)
        accept.click()
        b.get_by_role("heading", name="Hikers").wait_for()
        hostile = "trail is open <img src=x onerror=alert(1)><script>alert(2)</script>"
        a.get_by_role("list", name="Members").get_by_text(f"{name_b} · member").wait_for(timeout=20000)
        post(a, hostile)
        b.get_by_role("list", name="Posts").get_by_text(f"{name_a}: {hostile}").wait_for(timeout=20000)
        b.get_by_role("button", name=f"Comment on {name_a}'s post").click()
        post(b, "on my way")
        a.locator("#posts li.comment", has_text=f"{name_b}: on my way").wait_for(timeout=20000)
        # Bob answers Alice's post quoting it: both see the quote above his post, as text.
        b.get_by_role("button", name=f"Reply to {name_a}, quoting the post").first.click()
        b.get_by_text(f"Replying to {name_a}: {hostile}").wait_for()
        post(b, "save me a seat")
        for page, who, author in [(a, "Me", name_b), (b, name_a, "Me")]:
            quoted = page.locator("#posts li.post", has_text=f"{author}: save me a seat").locator(".quote")
            quoted.wait_for(timeout=20000)
            check(quoted.inner_text() == f"{who}: {hostile}", f"the quote shows {quoted.inner_text()!r}")
        b.screenshot(path=f"{shots}/group-quote-desktop.png", full_page=True)
        a.screenshot(path=f"{shots}/group-quote-phone.png")
        # Bob recalls that post (撤回): both pages say so, and its text is gone from both.
        b.locator("#posts li.post", has_text="Me: save me a seat").get_by_role("button", name="Recall your post").click()
        b.locator("#posts").get_by_text("You recalled a post").wait_for(timeout=20000)
        a.locator("#posts").get_by_text(f"{name_b} recalled a post").wait_for(timeout=20000)
        for page in (a, b):
            check(page.locator("#posts").get_by_text("save me a seat").count() == 0, "the recalled post's text stayed")
        a.screenshot(path=f"{shots}/group-recall-phone.png")
        b.screenshot(path=f"{shots}/group-recall-desktop.png")
        # An invitation says who sent it and can be declined, after a question; leaving asks first.
        screen(a, "Groups")
        create_group(a, "Book Club", public=False)
        a.get_by_label("Invite a friend").select_option(label=name_b)
        a.get_by_role("button", name="Invite", exact=True).click()
        screen(b, "Groups")
        b.get_by_role("list", name="Your groups").get_by_role("listitem").filter(has_text="Book Club").get_by_text(
            f"private · invited by {name_a}").wait_for(timeout=20000)
        b.get_by_role("button", name="Decline invitation to Book Club").click()
        b.get_by_text("Decline the invitation to Book Club?").wait_for()
        b.screenshot(path=f"{shots}/groups-decline-desktop.png", full_page=True)
        b.get_by_role("group").get_by_role("button", name="Decline", exact=True).click()
        b.get_by_role("list", name="Your groups").get_by_role("listitem").filter(has_text="Book Club").get_by_text(
            re.compile("^private · left")).wait_for(timeout=20000)
        a.get_by_role("list", name="Members").get_by_text(f"{name_b} · left").wait_for(timeout=20000)
        b.get_by_role("button", name="Open Hikers").click()
        open_members(b)
        b.get_by_role("button", name="Leave group").click()
        b.get_by_text("Leave Hikers? You stop receiving its posts").wait_for()
        b.get_by_role("group").get_by_role("button", name="Cancel").click()
        check(b.get_by_text("Leave Hikers?").count() == 0, "the question stayed after Cancel")
        screen(a, "Groups")
        a.get_by_role("button", name="Open Hikers").click()
        # A reply to the comment is shown under it, one level deeper, on both sides.
        a.get_by_role("button", name=f"Comment on {name_b}'s post").first.click()
        post(a, "see you there")
        reply = b.locator("#posts li.comment", has_text=f"{name_a}: see you there")
        reply.wait_for(timeout=20000)
        check(reply.evaluate("e => e.style.getPropertyValue('--depth')") == "2",
              "a reply to a comment is not shown under the comment")
        order = b.locator("#posts > li").all_inner_texts()
        check([i for i, text in enumerate(order) if "on my way" in text][0]
              < [i for i, text in enumerate(order) if "see you there" in text][0], f"thread order: {order!r}")
        check(a.locator("#posts img, #posts script").count() == 0, "a post's markup became elements")
        a.screenshot(path=f"{shots}/groups-phone.png", full_page=True)
        b.screenshot(path=f"{shots}/groups-desktop.png", full_page=True)

        # Discover, then join: Alice's public group reaches Bob through her post.
        # The post carries a photo: a friend outside the group sees it in Discover, and in the
        # group once joined.
        create_group(a, "Open Trail", public=True)
        a.locator("#post-photo").set_input_files(photo)
        post(a, "all welcome on Sunday")
        screen(b, "Discover")
        found = b.get_by_role("list", name="Discover").get_by_role("listitem").filter(
            has_text=f"{name_a} in Open Trail: all welcome on Sunday").first
        found.wait_for(timeout=20000)
        picture = found.get_by_role("img")
        picture.wait_for(timeout=20000)
        b.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=picture.element_handle(),
                            timeout=20000)
        b.screenshot(path=f"{shots}/discover-desktop.png", full_page=True)
        b.set_viewport_size({"width": 375, "height": 740})
        b.screenshot(path=f"{shots}/discover-phone.png", full_page=True)
        b.set_viewport_size({"width": 1280, "height": 800})
        b.get_by_role("button", name="Join Open Trail").click()
        b.get_by_role("heading", name="Open Trail").wait_for()
        b.locator("#group-info").get_by_text(re.compile(r"^public · member · ")).wait_for()
        joined = b.get_by_role("list", name="Posts").get_by_role("img").first
        joined.wait_for(timeout=20000)
        b.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=joined.element_handle(),
                            timeout=20000)

        # Moments: a moment with a photo.
        screen(a, "Moments")
        a.get_by_label("Share a moment").fill("sunset from the ridge")
        a.get_by_role("region", name="Moments").get_by_label("Attach a photo", exact=True).set_input_files(photo)
        a.get_by_role("button", name="Share", exact=True).click()
        a.get_by_role("list", name="Moments").get_by_text("Me: sunset from the ridge").wait_for()
        screen(b, "Moments")
        b.get_by_role("list", name="Moments").get_by_text(f"{name_a}: sunset from the ridge").wait_for(timeout=20000)
        # The moment's photo arrives and shows (it used to wait for ever for a holder).
        sunset = b.get_by_role("list", name="Moments").get_by_role("img").first
        sunset.wait_for(timeout=20000)
        b.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=sunset.element_handle(),
                            timeout=20000)
        a.screenshot(path=f"{shots}/moments-phone.png", full_page=True)
        b.screenshot(path=f"{shots}/moments-desktop.png", full_page=True)

        # The hide setting: Alice's next public post stays with the group's members. A moment
        # written after it reaches Bob; the hidden post, written before it, does not.
        screen(a, "Settings")
        # One's own name, changed in Settings: the header says it at once.
        a.get_by_label("Your name").fill(f"{name_a} Li")
        a.get_by_role("button", name="Change name").click()
        a.get_by_text(f"You are {name_a} Li now; friends see it when they next connect.").wait_for()
        a.wait_for_function("name => document.getElementById('me').textContent.startsWith(name)", arg=f"{name_a} Li · ")
        a.get_by_label("Hide my public-group posts from friends outside those groups").check()
        a.get_by_text("Saved.").wait_for()
        a.get_by_label("Space for everyone together (MB)").fill("1099511627776")
        a.get_by_role("button", name="Save", exact=True).click()
        a.get_by_role("alert").filter(has_text="Space for everyone together (MB): at most 1,073,741,824.").wait_for()
        a.screenshot(path=f"{shots}/settings-phone.png", full_page=True)
        screen(a, "Groups")
        create_group(a, "Quiet Corner", public=True)
        post(a, "members only")
        a.get_by_role("list", name="Posts").get_by_text("Me: members only").wait_for()
        screen(a, "Moments")
        a.get_by_label("Share a moment").fill("after the hidden post")
        a.get_by_role("button", name="Share", exact=True).click()
        screen(b, "Discover")
        b.get_by_role("list", name="Feed").get_by_text(f"{name_a}: after the hidden post").wait_for(timeout=20000)
        b.reload()
        b.get_by_role("list", name="Feed").get_by_text(f"{name_a}: after the hidden post").wait_for()
        check(b.get_by_role("list", name="Discover").get_by_text("members only").count() == 0,
              "a hidden public post reached a friend outside the group")
        a.reload()
        screen(a, "Settings")
        a.wait_for_function("() => document.getElementById('hide-public').checked", timeout=10000)
        screen(b, "Settings")
        b.screenshot(path=f"{shots}/settings-desktop.png", full_page=True)

        # Status, and the language switch.
        for page, size in [(a, "phone"), (b, "desktop")]:
            screen(page, "Status")
            page.get_by_role("list", name="Connected friends").get_by_role("listitem").first.wait_for(timeout=20000)
            page.screenshot(path=f"{shots}/status-{size}.png", full_page=True)
        b.get_by_label("Language").select_option("zh")
        b.get_by_role("navigation").get_by_role("button", name="聊天").wait_for()
        screen(b, "聊天")
        b.get_by_role("heading", name="聊天").wait_for()
        b.screenshot(path=f"{shots}/chats-desktop-zh.png", full_page=True)
        # No English left on the screens a person reads in 简体中文.
        english = re.compile(r"\b(Sync|Storage|Attachments|Quotas|Save|Node ID|Name|Listening|Discovery|Version|Nearby|"
                             r"active|fetching|waiting|complete|on-demand|bytes|count|Posts|Members)\b")
        for name, label, rendered in [("状态", "status", "#status-node dd"), ("设置", "settings", "#quota-author_bytes"),
                                      ("发现", "discover", "#feed li"), ("朋友圈", "moments", "#moments li")]:
            screen(b, name)
            b.locator(rendered).first.wait_for()
            text = b.locator(f"#screen-{label}").inner_text()
            left = english.findall(text)
            if label == "settings":
                # Settings hold no one's words but the page's: any Latin word is left-over English,
                # but for units, the app's name and a command to type (in backquotes).
                plain = re.sub(r"`[^`]*`", "", text)
                plain = re.sub(r"[A-Z2-7]{7}(-[A-Z2-7]{7})+", "", plain)
                left += [w for w in re.findall(r"[A-Za-z]{2,}", plain)
                         if w not in {"WeMeet", "MB", "GB", "TB", "English"}]
            check(not left, f"English on the 简体中文 {label} screen: {left!r}")
            b.screenshot(path=f"{shots}/{label}-desktop-zh.png", full_page=True)
        b.get_by_label("语言").select_option("en")
        b.get_by_role("navigation").get_by_role("button", name="Chats").wait_for()

        check(not dialogs, f"a script from a peer ran: {dialogs!r}")
        check(not errors, f"page errors: {errors!r}")
        browser.close()
    print("ok")


if __name__ == "__main__":
    main()
