"""One browser, two nodes on one machine: both web apps stay logged in, and a program on
another port of the machine, which the browser hands every cookie of the host, can use none.

Usage: two_nodes.py LOGIN_A LOGIN_B
Exits 1 with the reason on the first failed check.
"""
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import sync_playwright

from common import check, launch

STATUS = """async () => {
    const r = await fetch("/v1/status", { headers: { "X-WeMeet-Proof": localStorage.getItem("wemeet-proof") } });
    return r.status;
}"""


def main():
    login_a, login_b = sys.argv[1:3]
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.headers.get("Cookie", ""))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>another program</title>")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        a = context.new_page()
        a.goto(login_a)
        b = context.new_page()
        b.goto(login_b)
        check(a.evaluate(STATUS) == 200, "the first node's app was logged out by logging in to the second")
        check(b.evaluate(STATUS) == 200, "the second node's app is not logged in")
        a.reload()
        b.reload()
        check(a.evaluate(STATUS) == 200 and b.evaluate(STATUS) == 200, "a reload logged an app out")

        other = context.new_page()
        other.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        cookies = received[-1]
        check("wemeet_" in cookies, f"the browser did not hand the cookies to another port: {cookies!r}")
        for origin in [a.url, b.url]:
            base = "/".join(origin.split("/")[:3])
            request = urllib.request.Request(base + "/v1/status", headers={"Cookie": cookies})
            try:
                status = urllib.request.urlopen(request).status
            except urllib.error.HTTPError as error:
                status = error.code
            check(status == 401, f"the cookies another port received opened {base}: {status}")
        browser.close()
    server.shutdown()
    print("ok")


main()
