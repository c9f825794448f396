/// The web app's files, carried in the binary (a copied `wemeet` works on its own,
/// offline): plain HTML, CSS and JavaScript modules, no build step. Text from peers is only
/// ever set with `textContent`, never parsed as HTML.
enum WebAssets {
    struct Asset {
        var contentType: String
        var body: String
    }

    static func asset(_ path: String) -> Asset? {
        switch path {
        case "/", "/index.html": Asset(contentType: "text/html; charset=utf-8", body: index)
        case "/assets/app.js": Asset(contentType: "text/javascript; charset=utf-8", body: appJS)
        case "/assets/app.css": Asset(contentType: "text/css; charset=utf-8", body: appCSS)
        default: nil
        }
    }

    static let index = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>WeMeet</title>
          <link rel="stylesheet" href="/assets/app.css">
          <link rel="icon" href="data:,">
          <script type="module" src="/assets/app.js"></script>
        </head>
        <body>
          <header>
            <h1>WeMeet</h1>
            <p id="me"></p>
            <p id="connection" role="status" aria-live="polite"></p>
          </header>
          <main>
            <section aria-labelledby="radar-title">
              <h2 id="radar-title">Nearby</h2>
              <ul id="radar"></ul>
              <p id="radar-empty" hidden>No one nearby yet — start WeMeet on another machine on this network.</p>
            </section>
            <section aria-labelledby="friends-title">
              <h2 id="friends-title">Friends</h2>
              <ul id="friends"></ul>
              <p id="friends-empty" hidden>No friends yet — press pair together with someone nearby.</p>
            </section>
          </main>
        </body>
        </html>

        """

    static let appCSS = """
        :root { font-family: system-ui, sans-serif; color-scheme: light dark; }
        body { margin: 0 auto; max-width: 48rem; padding: 1rem; }
        header h1 { margin: 0; font-size: 1.5rem; }
        #me { color: GrayText; margin: .25rem 0; word-break: break-all; }
        #connection:empty { display: none; }
        #connection { background: #fde68a; color: #000; padding: .5rem; border-radius: .25rem; }
        ul { list-style: none; padding: 0; }
        li { padding: .5rem 0; border-bottom: 1px solid #8884; }
        .friend::after { content: " ★"; }
        .error { color: #b91c1c; }

        """

    static let appJS = """
        // WeMeet's web app: the control API's /v1 routes, live through /v1/events.
        // Text from peers goes in with textContent only.
        const $ = (id) => document.getElementById(id);

        async function api(path, options = {}) {
          const response = await fetch(path, { credentials: "same-origin", ...options });
          const body = await response.json().catch(() => ({}));
          if (!response.ok) throw new Error(body?.error?.message ?? `${response.status}`);
          return body;
        }

        function list(element, empty, items, render) {
          element.replaceChildren(...items.map(render));
          empty.hidden = items.length > 0;
        }

        async function refresh() {
          const [status, radar, friends] = await Promise.all([api("/v1/status"), api("/v1/radar"), api("/v1/friends")]);
          $("me").textContent = `${status.name} · ${status.nodeID}`;
          list($("radar"), $("radar-empty"), radar.nearby, (entry) => {
            const item = document.createElement("li");
            item.textContent = entry.name;
            if (entry.friend) item.classList.add("friend");
            return item;
          });
          list($("friends"), $("friends-empty"), friends.friends, (friend) => {
            const item = document.createElement("li");
            item.textContent = friend.name;
            return item;
          });
        }

        function follow() {
          const events = new EventSource("/v1/events");
          events.onopen = () => { $("connection").textContent = ""; refresh().catch(show); };
          events.onmessage = () => refresh().catch(show);
          for (const type of ["radar.appeared", "radar.gone", "pair.paired", "friend.removed"]) {
            events.addEventListener(type, () => refresh().catch(show));
          }
          events.onerror = () => { $("connection").textContent = "The node is not answering — reconnecting…"; };
        }

        function show(error) { $("connection").textContent = error.message; }

        follow();

        """
}
