"""What the browser tests share: failing with a reason, launching Debian's chromium, and
going to a screen of the app by its name in the navigation (as a person would)."""
import sys


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
