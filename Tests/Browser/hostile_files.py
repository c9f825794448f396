"""A friend's files never act on the web app: a script, a page and an SVG that load and run
it, and a "photo" whose bytes are a page, are opened every way the app offers (in place, in a
new tab, downloaded, their address pasted), and from a page on another port of this machine
that navigates, frames, embeds and scripts them. The hostile bytes, were they to run on the
app's origin, would alert, retitle the page, and send the friend list back as a DM (the
Swift side checks that none was sent).

Usage: hostile_files.py LOGIN SCREENSHOT_DIR BLOB_ID...
Exits 1 with the reason on the first failed check.
"""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import Error as PlaywrightError, sync_playwright

from common import check, launch, screen


def evil_server(target, ids):
    """Another program on this machine, on a port of its own: its page points at the node's
    content route every way a page can (the cookie reaches every port of the host)."""
    content = [f"{target}/v1/attachments/{i}/content" for i in ids]
    body = "".join(f'<iframe src="{u}"></iframe><img src="{u}"><object data="{u}"></object><script src="{u}"></script>'
                   for u in content)
    page = f'<!doctype html><title>evil</title>{body}<script>window.onload = () => {{ window.done = true; }};</script>'

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/navigate":
                self.send_response(302)
                self.send_header("Location", content[0])
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main():
    login, shots = sys.argv[1:3]
    ids = sys.argv[3:]
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        dialogs, titles = [], []
        context.on("page", lambda page: page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(login)
        origin = page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2]
        server, evil_origin = evil_server(origin, ids)

        screen(page, "Chats")
        page.get_by_role("list", name="Chats").get_by_role("button").first.click()
        messages = page.get_by_role("list", name="Messages")
        messages.get_by_text("look at these").wait_for(timeout=20000)
        # In place: only the lying "photo" (image/png) is an <img>; the page, the script and
        # the SVG are download buttons, never a frame, an object or an image.
        for name in ["evil.html", "evil.js", "evil.svg", "page.png"]:
            messages.get_by_role("button", name=f"Save {name}", exact=False).first.wait_for(timeout=20000)
        check(page.locator(
            "main iframe, main object, main embed, main svg:not(.avatar > svg), main .avatar svg :not(rect)").count() == 0,
              "a friend's file became a frame, an object or inline SVG")
        images = page.locator("main img")
        check(images.count() == 1, f"{images.count()} images shown in place; only the lying photo.png may be")
        page.screenshot(path=f"{shots}/hostile-files-desktop.png", full_page=True)

        # Every content address the app could link to, with the page's own proof, opened in
        # a new tab (as a person opening a photo would, or pasting its address).
        urls = page.evaluate("""async () => {
            const proof = localStorage.getItem("wemeet-proof");
            const list = await (await fetch("/v1/attachments", { headers: { "X-WeMeet-Proof": proof } })).json();
            return list.attachments.map(a => [a.attachment.name, `/v1/attachments/${a.attachment.id}/content?proof=${proof}`]);
        }""")
        check(len(urls) >= 5, f"the friend's attachments are not all here: {urls!r}")
        for name, url in urls:
            tab = context.new_page()
            try:
                with tab.expect_download(timeout=5000):
                    try:
                        tab.goto(origin + url)
                    except PlaywrightError:
                        pass  # "Download is starting": the answer was a download, not a page
                downloaded = True
            except PlaywrightError:
                downloaded = False
            titles.append(tab.title())
            check(name in ("photo.png",) or downloaded, f"{name} was not a download when opened in a tab")
            tab.close()

        # The "Download" button of each: a file, never a page.
        for name in ["evil.html", "evil.svg"]:
            with page.expect_download(timeout=20000) as download:
                messages.get_by_role("button", name=f"Save {name}", exact=False).first.click()
            check("\u202e" not in download.value.suggested_filename, "a bidi override survived in a file name")

        # A page on another port of this machine navigates to, frames, embeds and loads each
        # address (it knows the IDs, as the friend who sent them does, but not the proof).
        evil = context.new_page()
        evil.goto(evil_origin + "/")
        evil.wait_for_function("window.done === true", timeout=20000)
        titles.append(evil.title())
        evil.goto(evil_origin + "/navigate")
        evil.wait_for_load_state()
        check("not logged in" in evil.content(), "the node answered a navigation from another port without the proof")
        titles.append(evil.title())

        server.shutdown()
        check(not dialogs, f"a friend's file ran a script: {dialogs!r}")
        check(not any("PWNED" in t for t in titles), f"a friend's file ran a script: {titles!r}")
        browser.close()
    print("ok")


main()
