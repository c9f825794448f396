"""The node stops under an open page and comes back: the page says so, reconnects by itself
when the node returns, and is still logged in (sessions outlive a restart).

Usage: reconnect.py WEMEET HOME SCREENSHOT_DIR

Runs `wemeet node` itself (twice, on the same web port), so that it can stop and start it.
Exits 1 with the reason on the first failed check.
"""
import socket
import subprocess
import sys
import threading

from playwright.sync_api import sync_playwright

from common import check, launch, screen


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(wemeet, home, port):
    """Starts a node and returns once its web app runs (its log says so)."""
    node = subprocess.Popen(
        [wemeet, "node", "--home", home, "--listen", "127.0.0.1:0", "--no-mdns", "--web", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    running = threading.Event()

    def drain():
        for line in node.stderr:
            if "web app running" in line:
                running.set()
    threading.Thread(target=drain, daemon=True).start()
    check(running.wait(60), "the node's web app did not start")
    return node


def main():
    wemeet, home, shots = sys.argv[1:4]
    port = free_port()
    node = start(wemeet, home, port)
    login = subprocess.check_output([wemeet, "open", "--print-only", "--home", home], text=True).strip()
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 375, "height": 740})
        page.goto(login)
        page.get_by_role("heading", name="Pair").wait_for()
        node.terminate()
        node.wait()
        page.get_by_text("The node is not answering — reconnecting…").wait_for(timeout=20000)
        page.screenshot(path=f"{shots}/reconnecting-phone.png", full_page=True)
        node = start(wemeet, home, port)
        # Back by itself: the notice goes, and the page still has its session.
        page.wait_for_function("() => document.getElementById('connection').textContent === ''", timeout=30000)
        page.get_by_role("navigation").get_by_role("button", name="Status").click()
        page.get_by_role("definition").filter(has_text="Reconnecting Node").wait_for(timeout=10000)
        browser.close()
    node.terminate()
    node.wait()
    print("ok")


main()
