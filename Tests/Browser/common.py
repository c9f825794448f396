"""What the browser tests share: failing with a reason, launching Debian's chromium, and
going to a screen of the app by its name in the navigation (as a person would), making a
photo and opening a chat."""
import os
import re
import struct
import sys
import zlib


def check(condition, why):
    """Exits 1 with `why` unless `condition` holds."""
    if not condition:
        print(f"FAILED: {why}", file=sys.stderr)
        sys.exit(1)


def launch(playwright, microphone=False):
    """Chromium from Debian, without its sandbox (root in a container); with a fake
    microphone and autoplay when `microphone`."""
    args = ["--no-sandbox"]
    if microphone:
        args += ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                 "--autoplay-policy=no-user-gesture-required"]
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)


def screen(page, name):
    """Opens the screen called `name` from the navigation."""
    page.get_by_role("navigation").get_by_role("button", name=name, exact=True).click()


class dumped_on_failure:
    """`with dumped_on_failure({"Alice": page, …}):` — when the block fails, prints what each
    page shows (its main text) to stderr before the traceback."""

    def __init__(self, pages):
        self.pages = pages

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None and kind is not SystemExit:
            for label, page in self.pages.items():
                try:
                    print(f"--- {label}'s page:\n" + page.inner_text("body")[:2000], file=sys.stderr)
                except Exception as error:  # the page may be gone
                    print(f"--- {label}'s page: unreadable ({error})", file=sys.stderr)
        return False


def noisy_png(path, width=80, height=60):
    """A real PNG of random pixels: it does not compress, so its size is its bytes."""
    rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def open_chat(page, name):
    screen(page, "Chats")
    chat = page.get_by_role("list", name="Chats").get_by_role("button", name=re.compile(re.escape(name)))
    chat.wait_for(timeout=20000)
    chat.click()
