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
            <section aria-labelledby="pair-title">
              <h2 id="pair-title">Pair</h2>
              <button id="pair" type="button" aria-pressed="false" aria-describedby="pair-help">Hold to pair</button>
              <p id="pair-help">Hold the button at the same time as the other person, until you both see the same code. Letting go before that stops pairing.</p>
              <p id="pair-status" role="status" aria-live="polite"></p>
              <p id="pair-code" class="code" aria-label="pairing code"></p>
              <ul id="pair-candidates" aria-label="people pressing"></ul>
            </section>
            <section aria-labelledby="chats-title">
              <h2 id="chats-title">Chats</h2>
              <ul id="chats"></ul>
              <p id="chats-empty" hidden>No chats yet — pair with someone, then write to them here.</p>
            </section>
            <section id="conversation" aria-labelledby="conversation-title" hidden>
              <h2 id="conversation-title"></h2>
              <ol id="messages"></ol>
              <form id="compose">
                <label for="message">Message</label>
                <input id="message" autocomplete="off" required>
                <button type="submit">Send</button>
              </form>
            </section>
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
        #chats button { all: unset; cursor: pointer; display: block; width: 100%; }
        #chats button:focus-visible { outline: 2px solid Highlight; }
        #messages { padding: 0; list-style: none; }
        #messages .out { text-align: end; }
        #compose { display: flex; gap: .5rem; align-items: center; }
        #compose input { flex: 1; padding: .5rem; }
        #pair { font-size: 1.25rem; padding: 1.25rem 2rem; border-radius: 2rem; min-width: 14rem; touch-action: none; user-select: none; }
        #pair[aria-pressed="true"] { background: #16a34a; color: #fff; }
        .code { font-size: 3rem; letter-spacing: .3rem; font-variant-numeric: tabular-nums; margin: .5rem 0; }
        .code:empty { display: none; }

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

        // Hold to pair: holding the button is the press; letting go before pairing ends it.
        let holding = false;
        let letGoEarly = false;
        const letGoText = "You let go before pairing finished, so you are not paired. Hold until you both see the same code.";
        const json = (body) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

        async function press() {
          if (holding) return;
          holding = true;
          letGoEarly = false;
          $("pair").setAttribute("aria-pressed", "true");
          $("pair-code").textContent = "";
          $("pair-status").textContent = "Looking for someone pressing…";
          try { await api("/v1/pair", json({ window: 120, interactive: true })); } catch (error) { show(error); }
          await showPairing();
        }

        async function release() {
          if (!holding) return;
          holding = false;
          $("pair").setAttribute("aria-pressed", "false");
          const status = await api("/v1/pair").catch(() => null);
          if (status?.state !== "pressing") return;
          letGoEarly = true;
          await api("/v1/pair", { method: "DELETE" }).catch(show);
          $("pair-code").textContent = "";
          $("pair-candidates").replaceChildren();
          $("pair-status").textContent = letGoText;
        }

        async function showPairing() {
          const status = await api("/v1/pair");
          const candidates = status.candidates ?? [];
          $("pair-candidates").replaceChildren();
          if (status.state === "pressing") {
            if (candidates.length === 0) {
              $("pair-status").textContent = "Looking for someone pressing…";
            } else if (candidates.length === 1) {
              const [c] = candidates;
              $("pair-status").textContent = `Pairing with ${c.name} (${c.nodeID.slice(0, 7)}) — check you both see this code:`;
              $("pair-code").textContent = c.code ?? "";
            } else {
              $("pair-status").textContent = "Several people are pressing: choose who you are pairing with.";
              $("pair-candidates").replaceChildren(...candidates.map((c) => {
                const item = document.createElement("li");
                const choose = document.createElement("button");
                choose.type = "button";
                choose.textContent = `${c.name} (${c.nodeID.slice(0, 7)}) ${c.code ?? ""}`;
                choose.addEventListener("click", () => api("/v1/pair/choose", json({ choice: c.nodeID })).catch(show));
                item.append(choose);
                return item;
              }));
            }
          } else if (status.state === "paired" && status.friend) {
            $("pair-status").textContent = `You and ${status.friend.name} are friends now.`;
            $("pair-code").textContent = status.friend.code ?? "";
          } else if (status.state === "ended") {
            $("pair-status").textContent = letGoEarly ? letGoText : `Not paired: ${status.message ?? ""}`;
            $("pair-code").textContent = "";
          }
        }

        const button = $("pair");
        button.addEventListener("pointerdown", (event) => { button.setPointerCapture(event.pointerId); press(); });
        for (const type of ["pointerup", "pointercancel"]) button.addEventListener(type, () => release());
        button.addEventListener("keydown", (event) => {
          if ((event.key === " " || event.key === "Enter") && !event.repeat) { event.preventDefault(); press(); }
        });
        button.addEventListener("keyup", (event) => { if (event.key === " " || event.key === "Enter") release(); });

        // Chats: the inbox, and one conversation open at a time, live.
        let openFriend = null;

        async function refreshChats() {
          const inbox = await api("/v1/inbox");
          list($("chats"), $("chats-empty"), inbox.conversations, (c) => {
            const item = document.createElement("li");
            const open = document.createElement("button");
            open.type = "button";
            const unread = c.unread ? ` (${c.unread} unread)` : "";
            open.textContent = `${c.name}${unread}${c.last ? ` — ${c.last.text}` : ""}`;
            open.addEventListener("click", () => openConversation(c.friend, c.name).catch(show));
            item.append(open);
            return item;
          });
        }

        async function openConversation(nodeID, name) {
          openFriend = { nodeID, name };
          $("conversation").hidden = false;
          $("conversation-title").textContent = `Chat with ${name}`;
          await showConversation();
          $("message").focus();
        }

        async function showConversation() {
          if (!openFriend) return;
          const path = `/v1/messages/${encodeURIComponent(openFriend.nodeID)}`;
          const { messages } = await api(`${path}?limit=50`);
          $("messages").replaceChildren(...messages.map((m) => {
            const item = document.createElement("li");
            item.className = m.direction;
            item.textContent = `${m.from === "me" ? "Me" : m.from}: ${m.text}${m.status ? ` · ${m.status}` : ""}`;
            return item;
          }));
          if (messages.some((m) => m.direction === "in")) {
            await api(`${path}/read`, { method: "POST" });
            await refreshChats();
          }
        }

        $("compose").addEventListener("submit", async (event) => {
          event.preventDefault();
          const text = $("message").value;
          if (!openFriend || !text) return;
          try {
            await api(`/v1/messages/${encodeURIComponent(openFriend.nodeID)}`, json({ text }));
            $("message").value = "";
            await showConversation();
          } catch (error) { show(error); }
        });

        function follow() {
          const events = new EventSource("/v1/events");
          events.onopen = () => { $("connection").textContent = ""; refresh().then(refreshChats).catch(show); };
          for (const type of ["dm.received", "dm.status", "pair.paired"]) {
            events.addEventListener(type, () => { refreshChats().catch(show); showConversation().catch(show); });
          }
          events.onmessage = () => refresh().catch(show);
          for (const type of ["radar.appeared", "radar.gone", "pair.paired", "friend.removed"]) {
            events.addEventListener(type, () => refresh().catch(show));
          }
          for (const type of ["pair.pressed", "pair.candidate", "pair.confirmed-by", "pair.declined", "pair.refused",
                              "pair.ambiguous", "pair.paired", "pair.ended"]) {
            events.addEventListener(type, () => showPairing().catch(show));
          }
          events.onerror = () => { $("connection").textContent = "The node is not answering — reconnecting…"; };
        }

        function show(error) { $("connection").textContent = error.message; }

        follow();

        """
}
