"""Three people hold pair at once, each in their own browser (chromium via Playwright).

Usage: three_pressers.py LOGIN_A NAME_A LOGIN_B NAME_B LOGIN_C NAME_C SCREENSHOT_DIR

- All three hold: each page says several people are pressing and offers a choice.
- C lets go: A and B are still asked to choose — nobody is paired because C let go.
- A chooses B and B chooses A: they are friends, with the same code, and check it.
- A, B and C hold again: B is A's friend now, so A's only candidate is C (friends are not
  candidates); C chooses A; then A unpairs C and blocks B from the Friends list, each
  after a confirmation in place.
Exits 1 with the reason on the first failed check.
"""
import re
import sys

from playwright.sync_api import sync_playwright

from common import check, launch

PAIR_STATUS = """() => fetch('/v1/pair', {headers: {'X-WeMeet-Proof': localStorage.getItem('wemeet-proof')}})
    .then((r) => r.json())"""


PAGES = {}


def hold(page):
    page.get_by_role("button", name="Hold to pair").hover()
    page.mouse.down()


def main():
    login_a, name_a, login_b, name_b, login_c, name_c, shots = sys.argv[1:8]
    with sync_playwright() as p:
        browser = launch(p)
        a = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
        b = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        c = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
        pages = [a, b, c]
        PAGES.update({name_a: a, name_b: b, name_c: c})
        try:
            for page, login in zip(pages, [login_a, login_b, login_c]):
                page.goto(login)
                nearby = page.get_by_role("list", name="Nearby").get_by_role("listitem")
                nearby.nth(1).wait_for()  # both others are nearby

            # All three hold: a choice on every page.
            for page in pages:
                hold(page)
            for page in pages:
                page.get_by_text("Several people pressed").wait_for(timeout=20000)
            a.get_by_role("button", name=f"Pair with {name_c}").wait_for()
            a.screenshot(path=f"{shots}/pair-several-phone.png", full_page=True)
            b.screenshot(path=f"{shots}/pair-several-desktop.png", full_page=True)

            # C lets go: A and B still choose; nobody is paired by it.
            for page in pages:
                page.mouse.up()  # the choice stays open after letting go
            c.get_by_role("button", name="Stop pairing").click()
            c.get_by_text("You stopped pairing; nobody was paired").wait_for()
            for page, other in [(a, name_c), (b, name_c)]:
                page.get_by_role("button", name=re.compile(f"Pair with {other} — stopped pressing")).wait_for(timeout=20000)
                status = page.evaluate(PAIR_STATUS)
                check(status["state"] == "pressing" and status.get("choosing") is True,
                      f"after the third let go, the press is {status!r}")
            check(a.get_by_role("list", name="Friends").get_by_role("listitem").count() == 0, "A has a friend")

            # A chooses B, B chooses A: friends, with one code.
            a.get_by_role("button", name=re.compile(f"^Pair with {name_b}")).click()
            a.get_by_text("chosen, waiting for them to choose you").wait_for()
            b.get_by_role("button", name=re.compile(f"^Pair with {name_a}")).click()
            a.get_by_text(f"You and {name_b} are friends now").wait_for(timeout=20000)
            b.get_by_text(f"You and {name_a} are friends now").wait_for(timeout=20000)
            codes = [page.get_by_label("pairing code").text_content() for page in [a, b]]
            check(codes[0] == codes[1] and re.fullmatch(r"\d{3} \d{3}", codes[0] or ""), f"codes {codes!r}")
            for page in [a, b]:
                page.get_by_role("button", name="Codes match").click()

            # Again, all three: B is A's friend, so A's one candidate is C.
            for page in pages:
                hold(page)
            a.get_by_text(f"Pairing with {name_c}").wait_for(timeout=20000)
            c.get_by_text("Several people pressed").wait_for(timeout=20000)
            c.mouse.up()  # Carol lets go to choose; the choice stays open
            c.get_by_role("button", name=re.compile(f"^Pair with {name_a}")).click()
            a.get_by_text(f"You and {name_c} are friends now").wait_for(timeout=20000)
            c.get_by_text(f"You and {name_a} are friends now").wait_for(timeout=20000)
            status = a.evaluate(PAIR_STATUS)
            names = sorted(candidate["name"] for candidate in status["candidates"])
            check(names == [name_c], f"A's candidates were {names!r}: a friend was a candidate")
            b.get_by_text(f"{name_c} is not pairing with you (paired with someone else)").wait_for(timeout=20000)
            for page in [a, b]:
                page.mouse.up()
            a.get_by_role("button", name="Codes match").click()

            # Unpair C, block B, each after a question in place.
            friends = a.get_by_role("list", name="Friends")
            friends.get_by_text(name_c).wait_for()
            friends.get_by_role("button", name=f"Unpair {name_c}").click()
            a.get_by_text(f"Unpair {name_c}? You stop syncing with them").wait_for()
            a.screenshot(path=f"{shots}/unpair-ask-phone.png", full_page=True)
            friends.get_by_role("group").get_by_role("button", name="Unpair", exact=True).click()
            friends.get_by_text(name_c, exact=True).wait_for(state="detached")
            friends.get_by_role("button", name=f"Block {name_b}").click()
            friends.get_by_role("group").get_by_role("button", name="Block", exact=True).click()
            friends.get_by_text(name_b, exact=True).wait_for(state="detached")
            check(friends.get_by_role("listitem").count() == 0, "friends left after unpairing and blocking")
        except Exception:
            for label, page in PAGES.items():
                print(f"--- {label}'s page:\n" + page.inner_text("main")[:1500], file=sys.stderr)
            raise
        browser.close()
    print("ok")


main()
