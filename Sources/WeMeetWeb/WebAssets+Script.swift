extension WebAssets {
    /// The app: screens, hold to pair, chats with photos and voice notes, groups, moments, discover and the feed, settings and status, live from `/v1/events`.
    static let appJS = #"""
        // WeMeet's web app: the control API's /v1 routes, live through /v1/events (one stream,
        // read in one place). Text from peers goes into the page with textContent only, never as HTML.
        import { t, language, languages, setLanguage, translatePage } from "/assets/strings.js";

        const $ = (id) => document.getElementById(id);

        // The session's proof: handed over once in the fragment after logging in, kept in this
        // origin's storage (other ports of the machine never see it, unlike the cookie), and sent
        // with every call — as a header, or as `proof=` where a header cannot be set.
        const login = new URLSearchParams(location.hash.startsWith("#proof=") ? location.hash.slice(1) : "");
        if (login.get("proof")) {
          localStorage.setItem("wemeet-proof", login.get("proof"));
          history.replaceState(null, "", "/");
        }
        const proof = localStorage.getItem("wemeet-proof") ?? "";
        const withProof = (url) => url + (url.includes("?") ? "&" : "?") + "proof=" + encodeURIComponent(proof);

        /** Types shown in place (API.md, "Attachment content"); anything else is a download. */
        const passive = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
          "audio/mpeg", "audio/mp4", "audio/aac", "audio/ogg", "audio/opus", "audio/wav", "audio/webm", "audio/flac",
          "video/mp4", "video/webm", "video/ogg"]);
        const essence = (type) => (type ?? "").split(";")[0].trim().toLowerCase();

        /** A control-API call: the JSON answer, or an Error carrying the node's own words. */
        async function api(path, options = {}) {
          const headers = { ...(options.headers ?? {}), "X-WeMeet-Proof": proof };
          const response = await fetch(path, { credentials: "same-origin", ...options, headers });
          if (response.status === 401) $("connection").textContent = t("login.again");
          const body = await response.json().catch(() => ({}));
          if (!response.ok) throw new Error(body?.error?.message ?? `${response.status} ${response.statusText}`);
          return body;
        }
        const json = (body) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        const path = (...parts) => parts.map(encodeURIComponent).join("/");

        /** Runs `work`, showing its error (if any) in `element`, in plain words, and clearing it otherwise. */
        async function guarded(element, work) {
          try {
            const result = await work();
            if (element) element.textContent = "";
            return result;
          } catch (error) {
            if (element) element.textContent = t("error", { message: error.message });
            else $("connection").textContent = t("error", { message: error.message });
          }
        }

        function element(tag, text, className) {
          const node = document.createElement(tag);
          if (text !== undefined && text !== null) node.textContent = text;
          if (className) node.className = className;
          return node;
        }

        function button(text, onClick, label) {
          const node = element("button", text);
          node.type = "button";
          if (label) node.setAttribute("aria-label", label);
          node.addEventListener("click", onClick);
          return node;
        }

        function list(target, empty, items, render) {
          target.replaceChildren(...items.map(render));
          if (empty) empty.hidden = items.length > 0;
        }

        /** Asks in place before something that cannot be undone: `question`, then `yes` or Cancel. */
        function ask(item, question, yes, work) {
          const box = element("span", null, "ask");
          box.setAttribute("role", "group");
          box.append(element("span", question),
            button(yes, () => guarded(box, async () => { await work(); box.remove(); askClosed(); renderers[screen]?.(); })),
            button(t("cancel"), () => { box.remove(); askClosed(); }));
          item.querySelector(".ask")?.remove();
          item.append(box);
          box.querySelector("button")?.focus();
        }

        const shortID = (nodeID) => (nodeID ?? "").slice(0, 7);
        const bytes = (n) => n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GiB` : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB`
          : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;

        // ---------------------------------------------------------------- screens

        let screen = "radar";
        const renderers = {};

        function showScreen(name) {
          screen = name;
          for (const section of document.querySelectorAll(".screen")) section.hidden = section.id !== `screen-${name}`;
          for (const tab of document.querySelectorAll("nav button")) {
            if (tab.dataset.screen === name) tab.setAttribute("aria-current", "page"); else tab.removeAttribute("aria-current");
          }
          history.replaceState(null, "", `#${name}`);
          renderers[name]?.();
        }
        for (const tab of document.querySelectorAll("nav button")) tab.addEventListener("click", () => showScreen(tab.dataset.screen));

        // ---------------------------------------------------------------- radar and friends

        let friends = [];

        async function renderRadar() {
          const [status, radar, friendList] = await Promise.all([api("/v1/status"), api("/v1/radar"), api("/v1/friends")]);
          $("me").textContent = `${status.name} · ${status.nodeID}`;
          friends = friendList.friends;
          // Nobody on the radar: say why when discovery itself is not working.
          $("radar-empty").textContent = status.discovery === "unavailable"
            ? t("nearby.unavailable", { detail: status.discoveryDetail ?? "" })
            : status.discovery === "disabled" ? t("nearby.disabled") : t("nearby.empty");
          list($("radar"), $("radar-empty"), radar.nearby, (entry) => {
            const item = element("li", entry.friend ? t("nearby.friend", { name: entry.name }) : entry.name);
            if (entry.friend) item.classList.add("friend");
            return item;
          });
          list($("friends"), $("friends-empty"), friends, (friend) => {
            const item = element("li");
            const actions = element("span", null, "actions");
            item.append(element("span", friend.name, "name"), actions);
            actions.append(
              button(t("friend.unpair"), () => ask(item, t("friend.unpair.ask", { name: friend.name }), t("friend.unpair"),
                () => api(`/v1/friends/${path(friend.nodeID)}`, { method: "DELETE" })), t("friend.unpair.label", { name: friend.name })),
              button(t("friend.block"), () => ask(item, t("friend.block.ask", { name: friend.name }), t("friend.block"),
                () => api("/v1/blocked", json({ choice: friend.nodeID }))), t("friend.block.label", { name: friend.name })));
            return item;
          });
        }
        renderers.radar = () => guarded(null, renderRadar);

        // Hold to pair: holding the button is the press; letting go before pairing ends it.
        // Pairing completes while both hold (each node confirms a lone presser by itself);
        // with several pressers, only a choice pairs. Afterwards both check the code.
        let holding = false;
        let letGoEarly = false;
        let sawCandidate = false;
        /** The friend made by the last press, whose code is still to be checked. */
        let toCheck = null;

        /** "074000" → "074 000", as the CLI writes it. */
        const formatCode = (code) => (code ?? "").length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code ?? "";

        async function press() {
          if (holding) return;
          holding = true;
          letGoEarly = false;
          sawCandidate = false;
          toCheck = null;
          $("pair").setAttribute("aria-pressed", "true");
          $("pair-code").textContent = "";
          $("pair-check").replaceChildren();
          $("pair-status").textContent = t("pair.looking");
          await guarded($("pair-status"), () => api("/v1/pair", json({ window: 120, interactive: true })));
          await showPairing();
        }

        async function release() {
          if (!holding) return;
          holding = false;
          $("pair").setAttribute("aria-pressed", "false");
          const status = await api("/v1/pair").catch(() => null);
          if (status?.state !== "pressing") return;
          // Several pressers: the choice stays open after letting go (a finger or the mouse
          // is needed to choose); "Stop pairing" ends it.
          if (status.choosing) return showPairing();
          letGoEarly = true;
          sawCandidate ||= (status.candidates ?? []).length > 0;
          await api("/v1/pair", { method: "DELETE" }).catch(() => {});
          $("pair-code").textContent = "";
          $("pair-candidates").replaceChildren();
          $("pair-status").textContent = sawCandidate ? t("pair.early") : t("pair.alone");
        }

        /** After pairing: "codes match" keeps the friend; "codes differ" unpairs at once. */
        function showCheck(friend) {
          $("pair-status").textContent = t("pair.friends", { name: friend.name });
          $("pair-code").textContent = formatCode(friend.code);
          $("pair-check").replaceChildren(
            button(t("pair.match"), () => {
              toCheck = null;
              $("pair-check").replaceChildren();
              $("pair-status").textContent = t("pair.checked", { name: friend.name });
            }),
            button(t("pair.differ"), () => guarded(null, async () => {
              await api(`/v1/friends/${path(friend.nodeID)}`, { method: "DELETE" });
              toCheck = null;
              $("pair-check").replaceChildren();
              $("pair-code").textContent = "";
              $("pair-status").textContent = t("pair.unpaired", { name: friend.name });
              renderRadar();
            })));
        }

        async function showPairing() {
          const status = await api("/v1/pair");
          const candidates = status.candidates ?? [];
          $("pair-candidates").replaceChildren();
          if (status.state === "pressing") {
            if (candidates.length > 0) sawCandidate = true;
            const live = candidates.filter((c) => !c.declined);
            if (!status.choosing) $("pair-check").replaceChildren();
            if (candidates.length === 0) {
              $("pair-status").textContent = t("pair.looking");
              $("pair-code").textContent = "";
            } else if (live.length === 0 && !status.choosing) {
              const [c] = candidates;
              $("pair-status").textContent = t("pair.declined", { name: c.name, reason: c.declined });
              $("pair-code").textContent = "";
            } else if (live.length === 1 && !status.choosing) {
              const [c] = live;
              $("pair-status").textContent = t("pair.with", { name: c.name, id: shortID(c.nodeID) });
              $("pair-code").textContent = formatCode(c.code);
            } else {
              $("pair-status").textContent = t("pair.several");
              $("pair-code").textContent = "";
              $("pair-check").replaceChildren(button(t("pair.stop"), () => guarded(null, async () => {
                letGoEarly = true;
                await api("/v1/pair", { method: "DELETE" });
                $("pair-check").replaceChildren();
                $("pair-candidates").replaceChildren();
                $("pair-status").textContent = t("pair.stopped");
              })));
              list($("pair-candidates"), null, candidates, (c) => {
                const item = element("li");
                const chosen = c.declined ? ` — ${t("pair.gone")}` : c.chosen ? ` — ${t("pair.chosen")}` : "";
                const choose = button(`${c.name} (${shortID(c.nodeID)}) ${formatCode(c.code)}${chosen}`,
                  () => guarded(null, async () => {
                    toCheck = { nodeID: c.nodeID };
                    await api("/v1/pair/choose", json({ choice: c.nodeID }));
                    await showPairing();
                  }),
                  t("pair.choose", { name: c.name }) + chosen);
                choose.disabled = Boolean(c.declined) || !c.code;
                item.append(choose);
                return item;
              });
            }
          } else if (status.state === "paired" && status.friend) {
            if (holding || toCheck?.nodeID === status.friend.nodeID) {
              toCheck = status.friend;
              showCheck(status.friend);
            }
          } else if (status.state === "ended") {
            if (letGoEarly) return;
            $("pair-status").textContent = t("pair.ended", { reason: status.message ?? "" });
            $("pair-code").textContent = "";
          }
        }

        const pairButton = $("pair");
        pairButton.addEventListener("pointerdown", (event) => { pairButton.setPointerCapture(event.pointerId); press(); });
        for (const type of ["pointerup", "pointercancel"]) pairButton.addEventListener(type, () => release());
        pairButton.addEventListener("keydown", (event) => {
          if ((event.key === " " || event.key === "Enter") && !event.repeat) { event.preventDefault(); press(); }
        });
        pairButton.addEventListener("keyup", (event) => { if (event.key === " " || event.key === "Enter") release(); });

        // ---------------------------------------------------------------- attachments

        /** The states of attachments seen on screen, by blob ID (updated by attachment events). */
        const attachmentStates = new Map();

        async function attachmentState(id) {
          if (attachmentStates.get(id)?.state === "complete") return attachmentStates.get(id);
          const status = await api(`/v1/attachments/${id}`).catch(() => null);
          if (status) attachmentStates.set(id, status);
          return status;
        }

        /** Uploads a file (or a recorded blob) and answers its Attachment. */
        async function upload(file, name, extra = "") {
          const type = file.type ? `&type=${encodeURIComponent(file.type.split(";")[0])}` : "";
          return api(`/v1/attachments?name=${encodeURIComponent(name ?? file.name ?? "file")}${type}${extra}`,
            { method: "POST", body: file });
        }

        /** An attachment in place: a photo inline, a voice note to play, a file to download — or a
         * progress bar while it is fetched. `from` names the sender (for accessible names). */
        function attachmentView(attachment, from, own = false) {
          const holder = element("div", null, "attachment");
          holder.dataset.attachment = attachment.id;
          holder._render = async () => {
            const status = await attachmentState(attachment.id);
            const content = withProof(`/v1/attachments/${attachment.id}/content`);
            const type = essence(attachment.mediaType);
            const state = status?.state ?? "complete";
            if (state === "on-demand") {
              // A big file: offered, fetched only when asked.
              holder.replaceChildren(element("span", t("offered", { name: attachment.name, size: bytes(attachment.size) })),
                button(t("fetch", { name: attachment.name, size: bytes(attachment.size) }),
                  () => guarded(null, async () => { await api(`/v1/attachments/${attachment.id}/fetch`, { method: "POST" }); holder._render(); })));
              return;
            }
            if (state === "waiting" || state === "refused") {
              holder.replaceChildren(element("span", state === "waiting" ? t("waiting", { name: attachment.name })
                : t("refused", { name: attachment.name, reason: status?.reason ?? "" })));
              return;
            }
            if (state !== "complete") {
              const label = element("span", t("fetching", { name: attachment.name }));
              const bar = element("progress");
              bar.max = 100;
              bar.value = status?.percent ?? 0;
              bar.setAttribute("aria-label", t("fetching", { name: attachment.name }));
              holder.replaceChildren(label, bar);
              return;
            }
            if (passive.has(type) && (attachment.voice || type.startsWith("audio/"))) {
              const audio = element("audio");
              audio.controls = true;
              audio.preload = "metadata";
              audio.src = content;
              audio.setAttribute("aria-label", t("voice", { name: from }));
              const seconds = attachment.durationMs ? (attachment.durationMs / 1000).toFixed(1) : "?";
              holder.replaceChildren(audio, element("span", t("voice.length", { seconds }), "muted"));
            } else if (passive.has(type) && type.startsWith("video/")) {
              const video = element("video");
              video.controls = true;
              video.preload = "metadata";
              video.src = content;
              video.setAttribute("aria-label", t("photo", { name: attachment.name }));
              holder.replaceChildren(video);
            } else if (passive.has(type) && type.startsWith("image/")) {
              const image = element("img");
              image.src = content;
              image.alt = t("photo", { name: attachment.name });
              if (attachment.width && attachment.height) { image.width = attachment.width; image.height = attachment.height; }
              image.loading = "lazy";
              holder.replaceChildren(image);
            } else {
              const progress = element("progress");
              progress.max = 100;
              progress.value = 0;
              progress.hidden = true;
              progress.setAttribute("aria-label", t("download", { name: attachment.name }));
              // One's own file is already here: a copy can be saved; a friend's is downloaded.
              const words = own ? t("saveCopy", { name: attachment.name }) : t("download", { name: attachment.name });
              holder.replaceChildren(button(`${words} (${bytes(attachment.size)})`,
                () => guarded(null, () => download(attachment, content, progress))), progress);
            }
          };
          holder._render();
          return holder;
        }

        /** Downloads through a stream, so the bar shows how far it got. */
        async function download(attachment, url, progress) {
          const response = await fetch(url + "&download=1", { credentials: "same-origin" });
          if (!response.ok) throw new Error((await response.json().catch(() => ({})))?.error?.message ?? response.statusText);
          const reader = response.body.getReader();
          const parts = [];
          let received = 0;
          progress.hidden = false;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parts.push(value);
            received += value.length;
            progress.value = attachment.size ? Math.round((received / attachment.size) * 100) : 100;
          }
          const link = element("a");
          // Never a type a browser would render on this origin: the bytes are a peer's.
          link.href = URL.createObjectURL(new Blob(parts, { type: "application/octet-stream" }));
          // A peer's name: no control or format (bidi) characters, no path.
          link.download = (attachment.name.split("/").pop() ?? "").replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\]/gu, "").replace(/^\.+/, "") || "attachment";
          link.click();
          setTimeout(() => URL.revokeObjectURL(link.href), 10000);
        }

        function rerenderAttachment(id) {
          for (const holder of document.querySelectorAll(".attachment")) if (holder.dataset.attachment === id) holder._render?.();
        }

        // ---------------------------------------------------------------- chats

        let openFriend = null;
        let messageCursor = null;
        let olderMessages = [];

        async function renderChats() {
          const inbox = await api("/v1/inbox");
          list($("chats"), $("chats-empty"), inbox.conversations, (c) => {
            const item = element("li");
            const unread = c.unread ? ` (${t("chats.unread", { count: c.unread })})` : "";
            const last = c.last ? ` — ${c.last.text || (c.last.attachments?.[0]?.name ?? "")}` : "";
            item.append(button(`${c.name}${unread}${last}`, () => guarded(null, () => openConversation(c.friend, c.name))));
            return item;
          });
          if (openFriend) await showConversation();
        }
        renderers.chats = () => guarded(null, renderChats);

        async function openConversation(nodeID, name) {
          openFriend = { nodeID, name };
          olderMessages = [];
          messageCursor = null;
          $("conversation").hidden = false;
          $("conversation-title").textContent = t("chat.with", { name });
          $("messages").replaceChildren();
          await showConversation();
          $("message").focus();
        }

        /** A message's line: who, the text, and (for one's own) sent, delivered or read. */
        function messageText(m) {
          const who = m.from === "me" ? t("chat.me") : m.from;
          const status = m.status ? ` · ${t(`status.${m.status}`)}` : "";
          return m.text ? `${who}: ${m.text}${status}` : `${who}${status}`;
        }

        /** One bubble: the line (who, text, status) and the message's photos, notes and files in it. */
        function messageView(m) {
          const item = element("li", null, m.direction);
          const bubble = element("span", null, "bubble");
          item._text = element("span", messageText(m), "line");
          bubble.append(item._text);
          const who = m.from === "me" ? t("chat.me") : m.from;
          for (const attachment of m.attachments ?? []) bubble.append(attachmentView(attachment, who, m.from === "me"));
          item.append(bubble);
          return item;
        }

        /** Shows `items` in `target`, keeping the element of an item already shown (by `key`) and
         * only updating it, so that a voice note playing or a photo loaded is not replaced when the
         * list refreshes (a receipt arriving, say). */
        function keyedList(target, items, key, render, update) {
          const shown = new Map([...target.children].map((child) => [child.dataset.key, child]));
          const wanted = items.map((item) => {
            const existing = shown.get(key(item));
            if (existing) { update?.(existing, item); return existing; }
            const created = render(item);
            created.dataset.key = key(item);
            return created;
          });
          const count = target.children.length;
          if (wanted.length >= count && [...target.children].every((child, i) => child === wanted[i])) {
            target.append(...wanted.slice(count));
          } else {
            target.replaceChildren(...wanted);
          }
        }

        async function showConversation() {
          if (!openFriend) return;
          const base = `/v1/messages/${encodeURIComponent(openFriend.nodeID)}`;
          const page = await api(`${base}?limit=50`);
          if (!olderMessages.length) messageCursor = page.earlier ?? null;
          $("earlier-messages").hidden = !messageCursor;
          keyedList($("messages"), [...olderMessages, ...page.messages], (m) => m.id, messageView,
            (item, m) => { item._text.textContent = messageText(m); });
          if (page.messages.some((m) => m.direction === "in")) {
            const inbox = await api("/v1/inbox");
            if (inbox.conversations.find((c) => c.friend === openFriend.nodeID)?.unread) {
              await api(`${base}/read`, { method: "POST" });
              await renderChats();
            }
          }
        }

        $("earlier-messages").addEventListener("click", () => guarded($("compose-error"), async () => {
          const base = `/v1/messages/${encodeURIComponent(openFriend.nodeID)}`;
          const page = await api(`${base}?limit=50&before=${messageCursor}`);
          olderMessages = [...page.messages, ...olderMessages];
          messageCursor = page.earlier ?? null;
          await showConversation();
        }));

        async function sendMessage(text, attachments = []) {
          await api(`/v1/messages/${encodeURIComponent(openFriend.nodeID)}`, json({ text, attachments }));
          await showConversation();
        }

        $("compose").addEventListener("submit", (event) => {
          event.preventDefault();
          const text = $("message").value;
          if (!openFriend || !text) return;
          guarded($("compose-error"), async () => { await sendMessage(text); $("message").value = ""; });
        });

        $("attach").addEventListener("change", () => guarded($("compose-error"), async () => {
          const file = $("attach").files[0];
          if (!file || !openFriend) return;
          const attachment = await upload(file);
          await sendMessage($("message").value, [attachment.id]);
          $("message").value = "";
          $("attach").value = "";
        }));

        // Hold to talk: a voice note is recorded while the button is held and sent on release.
        let recorder = null;
        let recordingStarted = 0;

        async function startTalking() {
          if (recorder || !openFriend) return;
          $("talk").setAttribute("aria-pressed", "true");
          $("talk").textContent = t("talk.recording");
          let stream;
          try {
            stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          } catch (error) {
            $("compose-error").textContent = t("talk.denied", { reason: error.message });
            resetTalk();
            return;
          }
          const chunks = [];
          recorder = new MediaRecorder(stream);
          recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
          recorder.addEventListener("stop", () => {
            for (const track of stream.getTracks()) track.stop();
            const duration = Math.round(performance.now() - recordingStarted);
            const blob = new Blob(chunks, { type: recorder?.mimeType || "audio/webm" });
            recorder = null;
            if (!blob.size) return;
            guarded($("compose-error"), async () => {
              const attachment = await upload(blob, "voice.webm", `&voice=true&duration_ms=${duration}`);
              await sendMessage("", [attachment.id]);
            });
          });
          recordingStarted = performance.now();
          recorder.start(250);
          if (!talkHeld) stopTalking();
        }

        function resetTalk() {
          $("talk").setAttribute("aria-pressed", "false");
          $("talk").textContent = t("talk");
        }

        function stopTalking() {
          resetTalk();
          if (recorder?.state === "recording") recorder.stop();
        }

        let talkHeld = false;
        const talk = $("talk");
        talk.addEventListener("pointerdown", (event) => { talk.setPointerCapture(event.pointerId); talkHeld = true; startTalking(); });
        for (const type of ["pointerup", "pointercancel"]) talk.addEventListener(type, () => { talkHeld = false; stopTalking(); });
        talk.addEventListener("keydown", (event) => {
          if ((event.key === " " || event.key === "Enter") && !event.repeat) { event.preventDefault(); talkHeld = true; startTalking(); }
        });
        talk.addEventListener("keyup", (event) => { if (event.key === " " || event.key === "Enter") { talkHeld = false; stopTalking(); } });

        // ---------------------------------------------------------------- groups

        let openGroup = null;
        let replyTo = null;
        let postCursor = null;
        let olderPosts = [];

        async function renderGroups() {
          const [{ groups }, friendList] = await Promise.all([api("/v1/groups"), api("/v1/friends")]);
          friends = friendList.friends;
          list($("groups"), $("groups-empty"), groups, (g) => {
            const item = element("li");
            const kind = g.public ? t("group.publicWord") : t("group.private");
            if (g.role === "invited") {
              const by = (g.invitedBy ?? []).map((id) => friends.find((f) => f.nodeID === id)?.name ?? shortID(id));
              const invited = by.length ? t("group.invitedBy", { names: by.join(", ") }) : t("role.invited");
              item.append(element("span", `${g.name} — ${kind} · ${invited} `));
              item.append(button(t("group.accept", { name: g.name }), () => guarded($("new-group-error"), async () => {
                await api(`/v1/groups/${g.id}/join`, { method: "POST" });
                await renderGroups();
                await openGroupView(g.id);
              })));
              item.append(button(t("group.decline"), () => ask(item, t("group.decline.ask", { name: g.name }), t("group.decline"),
                () => api(`/v1/groups/${g.id}/leave`, { method: "POST" })), t("group.decline.label", { name: g.name })));
            } else {
              item.append(button(`${g.name} — ${kind} · ${t(`role.${g.role}`)} · ${t("group.members", { count: g.members })}`,
                () => guarded($("group-error"), () => openGroupView(g.id)), t("group.open", { name: g.name })));
            }
            return item;
          });
          if (openGroup) await showGroup();
        }
        renderers.groups = () => guarded(null, renderGroups);

        async function openGroupView(id) {
          openGroup = id;
          replyTo = null;
          olderPosts = [];
          postCursor = null;
          $("replying").hidden = true;
          $("group").hidden = false;
          await showGroup();
        }

        async function showGroup() {
          const details = await api(`/v1/groups/${openGroup}`);
          const g = details.group;
          const me = (await api("/v1/status")).nodeID;
          $("group-title").textContent = g.name;
          $("group-info").textContent = `${g.public ? t("group.publicWord") : t("group.private")} · ${t(`role.${g.role}`)} · ${t("group.members", { count: g.members })}`;
          const isCreator = g.creator === me;
          list($("members"), null, details.members, (m) => {
            const item = element("li", `${m.name} · ${t(`role.${m.role}`)}${m.admin ? ` · ${t("group.admin")}` : ""}`);
            if (g.admin && m.nodeID !== me && (m.role === "member" || m.role === "invited") && m.nodeID !== g.creator) {
              item.append(button(t("group.remove", { name: m.name }), () => guarded($("group-error"), async () => {
                await api(`/v1/groups/${g.id}/remove`, json({ member: m.nodeID }));
                await showGroup();
              })));
            }
            if (isCreator && !m.admin && m.role === "member") {
              item.append(button(t("group.makeAdmin", { name: m.name }), () => guarded($("group-error"), async () => {
                await api(`/v1/groups/${g.id}/admins`, json({ member: m.nodeID }));
                await showGroup();
              })));
            }
            return item;
          });
          const inGroup = new Set(details.members.filter((m) => m.role === "member" || m.role === "invited").map((m) => m.nodeID));
          const invitable = friends.filter((f) => !inGroup.has(f.nodeID));
          $("invite").hidden = !(g.admin && g.role === "member" && invitable.length);
          $("invite-friend").replaceChildren(...invitable.map((f) => { const o = element("option", f.name); o.value = f.nodeID; return o; }));
          $("leave").hidden = !(g.role === "member" || g.role === "invited");
          $("new-post").hidden = g.role !== "member";
          const page = await api(`/v1/groups/${g.id}/posts?limit=50`);
          if (!olderPosts.length) postCursor = page.earlier ?? null;
          $("earlier-posts").hidden = !postCursor;
          renderPosts([...olderPosts, ...page.posts]);
        }

        /** Each post followed by its whole thread — comments, replies to comments, and so on —
         * depth first, without recursion (a chain of 10,000 replies costs a loop, not the stack).
         * The indent stops growing at 6 levels; deeper replies say whom they answer. A comment whose
         * post is not on screen starts a thread of its own. */
        function threadOrder(posts) {
          const index = new Map();
          posts.forEach((post, i) => { if (!index.has(post.id)) index.set(post.id, i); });
          const children = new Map();
          const roots = [];
          posts.forEach((post, i) => {
            const parent = post.reply ? index.get(post.reply) : undefined;
            if (parent !== undefined && parent !== i) children.set(parent, [...(children.get(parent) ?? []), i]);
            else roots.push(i);
          });
          const visited = new Array(posts.length).fill(false);
          const out = [];
          for (const root of [...roots, ...posts.keys()]) {
            const stack = [[root, 0]];
            while (stack.length) {
              const [i, depth] = stack.pop();
              if (visited[i]) continue;
              visited[i] = true;
              out.push({ post: posts[i], depth, parent: posts[i].reply ? posts[index.get(posts[i].reply)] : undefined });
              for (const child of [...(children.get(i) ?? [])].reverse()) if (!visited[child]) stack.push([child, depth + 1]);
            }
          }
          return out;
        }

        function renderPosts(posts) {
          list($("posts"), $("posts-empty"), threadOrder(posts), ({ post, depth, parent }) => {
            const item = postView(post, true, depth > 6 && parent ? parent.from : null);
            if (depth > 0) {
              item.classList.add("comment");
              item.style.setProperty("--depth", String(Math.min(depth, 6)));
            }
            return item;
          });
        }

        function postView(post, commentable, replyingTo) {
          const item = element("li");
          if (replyingTo) item.append(element("span", `↳ ${replyingTo === "me" ? t("chat.me") : replyingTo} `, "muted"));
          item.append(element("span", `${post.from === "me" ? t("chat.me") : post.from}: ${post.text ?? t("group.unreadable")}`));
          for (const attachment of post.attachments ?? []) item.append(attachmentView(attachment, post.from, post.from === "me"));
          if (commentable && !$("new-post").hidden) {
            const own = post.from === "me";
            item.append(button(own ? t("post.commentOwn") : t("post.comment", { name: post.from }), () => {
              replyTo = post.id;
              $("replying").hidden = false;
              $("replying-text").textContent = own ? t("post.commentingOwn") : t("post.commenting", { name: post.from });
              $("post-text").focus();
            }));
          }
          return item;
        }

        $("earlier-posts").addEventListener("click", () => guarded($("group-error"), async () => {
          const page = await api(`/v1/groups/${openGroup}/posts?limit=50&before=${postCursor}`);
          olderPosts = [...page.posts, ...olderPosts];
          postCursor = page.earlier ?? null;
          await showGroup();
        }));

        $("cancel-reply").addEventListener("click", () => { replyTo = null; $("replying").hidden = true; });

        $("new-group").addEventListener("submit", (event) => {
          event.preventDefault();
          guarded($("new-group-error"), async () => {
            const group = await api("/v1/groups", json({ name: $("group-name").value, public: $("group-public").checked }));
            $("group-name").value = "";
            await renderGroups();
            await openGroupView(group.id);
          });
        });

        $("invite").addEventListener("submit", (event) => {
          event.preventDefault();
          guarded($("group-error"), async () => {
            await api(`/v1/groups/${openGroup}/invite`, json({ member: $("invite-friend").value }));
            await showGroup();
          });
        });

        // Leaving asks first: it cannot be undone without a new invitation (or, public, joining again).
        $("leave").addEventListener("click", () => {
          const group = openGroup;
          ask($("leave-row"), t("group.leave.ask", { name: $("group-title").textContent }), t("group.leave"), async () => {
            await api(`/v1/groups/${group}/leave`, { method: "POST" });
            await renderGroups();
          });
        });

        /** Posts text (and a photo, when one was chosen) to `url`. */
        async function postWithPhoto(url, text, photoInput, extra = {}) {
          const file = photoInput.files[0];
          const attachments = file ? [(await upload(file)).id] : [];
          await api(url, json({ text, attachments, ...extra }));
          photoInput.value = "";
        }

        $("new-post").addEventListener("submit", (event) => {
          event.preventDefault();
          guarded($("post-error"), async () => {
            await postWithPhoto(`/v1/groups/${openGroup}/posts`, $("post-text").value, $("post-photo"), replyTo ? { reply: replyTo } : {});
            $("post-text").value = "";
            replyTo = null;
            $("replying").hidden = true;
            await showGroup();
          });
        });

        // ---------------------------------------------------------------- moments, discover, feed

        function feedItem(post, { join } = {}) {
          const item = element("li");
          const who = post.from === "me" ? t("chat.me") : post.from;
          const heading = post.groupName ? t("discover.in", { from: who, group: post.groupName }) : who;
          item.append(element("span", `${heading}: ${post.text ?? t("group.unreadable")}`));
          for (const attachment of post.attachments ?? []) item.append(attachmentView(attachment, who, post.from === "me"));
          if (join && post.group) {
            item.append(button(t("discover.join", { name: post.groupName ?? post.group.slice(0, 8) }), () => guarded($("discover-error"), async () => {
              await api(`/v1/groups/${post.group}/join`, { method: "POST" });
              showScreen("groups");
              await openGroupView(post.group);
            })));
          }
          return item;
        }

        async function renderMoments() {
          const { posts } = await api("/v1/moments?limit=50");
          list($("moments"), $("moments-empty"), posts, (post) => feedItem(post));
        }
        renderers.moments = () => guarded($("moment-error"), renderMoments);

        $("new-moment").addEventListener("submit", (event) => {
          event.preventDefault();
          guarded($("moment-error"), async () => {
            await postWithPhoto("/v1/moments", $("moment-text").value, $("moment-photo"));
            $("moment-text").value = "";
            await renderMoments();
          });
        });

        async function renderDiscover() {
          const [discover, feed] = await Promise.all([api("/v1/discover?limit=50"), api("/v1/feed?limit=50")]);
          const seen = new Set();
          // One join button per group: the newest post of each carries it.
          list($("discover"), $("discover-empty"), discover.posts, (post) => {
            const join = !seen.has(post.group);
            seen.add(post.group);
            return feedItem(post, { join });
          });
          list($("feed"), $("feed-empty"), feed.posts, (post) => feedItem(post));
        }
        renderers.discover = () => guarded($("discover-error"), renderDiscover);

        // ---------------------------------------------------------------- settings

        const quotaNames = ["author_bytes", "author_feeds", "outsider_bytes", "outsider_feeds", "total_bytes", "total_feeds", "unreadable_bytes"];
        /** Quotas in bytes are shown and typed in MB; the others are counts. */
        const inMegabytes = (name) => name.endsWith("_bytes");

        async function renderSettings() {
          const [settings, password, profile] = await Promise.all([api("/v1/settings"), api("/v1/web/password"), api("/v1/profile")]);
          if (document.activeElement !== $("own-name")) $("own-name").value = profile.name;
          $("hide-public").checked = settings.hide_public_posts;
          $("automatic-size").value = String(settings.automatic_attachment_bytes / (1 << 20));
          $("quotas").replaceChildren(...quotaNames.map((name) => {
            const row = element("div", null, "field");
            const label = element("label", t(`quota.${name}`));
            label.htmlFor = `quota-${name}`;
            const input = element("input");
            input.id = `quota-${name}`;
            input.type = "number";
            input.min = "0";
            input.step = "any";
            const value = settings.quotas[name];
            input.value = String(inMegabytes(name) ? value / (1 << 20) : value);
            row.append(label, input);
            return row;
          }));
          $("password-state").textContent = password.set ? t("password.isSet") : t("password.notSet");
          $("password-current-row").hidden = !password.set;
          $("password-remove").hidden = !password.set;
        }
        renderers.settings = () => guarded($("settings-error"), renderSettings);

        async function saveSettings(body) {
          await api("/v1/settings", json(body));
          $("settings-saved").textContent = t("settings.saved");
          await renderSettings();
        }

        $("hide-public").addEventListener("change", () => {
          $("settings-saved").textContent = "";
          guarded($("settings-error"), () => saveSettings({ hide_public_posts: $("hide-public").checked }));
        });

        $("settings-form").addEventListener("submit", (event) => {
          event.preventDefault();
          $("settings-saved").textContent = "";
          const quotas = {};
          for (const name of quotaNames) {
            const value = Number($(`quota-${name}`).value);
            quotas[name] = inMegabytes(name) ? Math.round(value * (1 << 20)) : Math.round(value);
          }
          const megabytes = Number($("automatic-size").value);
          guarded($("settings-error"), () => saveSettings({
            hide_public_posts: $("hide-public").checked, automatic_attachment_bytes: Math.round(megabytes * (1 << 20)), quotas,
          }));
        });

        /** One's own name: friends see it when they next connect. */
        $("name-form").addEventListener("submit", (event) => {
          event.preventDefault();
          $("name-saved").textContent = "";
          guarded($("name-error"), async () => {
            const profile = await api("/v1/profile", { ...json({ name: $("own-name").value }), method: "PUT" });
            $("own-name").value = profile.name;
            $("name-saved").textContent = t("profile.saved", { name: profile.name });
            renderers.radar();
          });
        });

        /** The password for logging in from another device (a phone over the LAN). */
        async function changePassword(password) {
          $("password-saved").textContent = "";
          const current = $("password-current").value || null;
          const answer = await api("/v1/web/password",
            { ...json({ password, current }), method: "PUT" });
          $("password-current").value = "";
          $("password-new").value = "";
          await renderSettings();
          $("password-saved").textContent = answer.set ? t("password.saved") : t("password.removed");
        }
        $("password-form").addEventListener("submit", (event) => {
          event.preventDefault();
          guarded($("password-error"), () => changePassword($("password-new").value));
        });
        $("password-remove").addEventListener("click", () => guarded($("password-error"), () => changePassword(null)));

        // ---------------------------------------------------------------- status

        async function renderStatus() {
          const [status, transfers] = await Promise.all([api("/v1/status"), api("/v1/attachments")]);
          const discovery = t(`discovery.${status.discovery}`) + (status.discoveryDetail ? ` (${status.discoveryDetail})` : "");
          const rows = [[t("status.nodeID"), status.nodeID], [t("status.name"), status.name], [t("status.listening"), status.listen],
            [t("status.discovery"), discovery], [t("status.version"), status.version], [t("status.nearby"), String(status.nearby)]];
          $("status-node").replaceChildren(...rows.flatMap(([name, value]) => [element("dt", name), element("dd", value)]));
          list($("peers"), $("peers-empty"), status.peers, (p) => element("li", `${p.name} — ${p.address} (${t(`direction.${p.direction}`)})`));
          list($("sync"), $("sync-empty"), status.sync ?? [], (s) => {
            const item = element("li", t("status.syncPeer", { name: s.name, received: s.entriesReceived, remaining: s.remaining }));
            const bar = element("progress");
            const total = s.entriesReceived + s.remaining;
            bar.max = Math.max(total, 1);
            bar.value = s.entriesReceived;
            bar.setAttribute("aria-label", s.name);
            item.append(bar);
            return item;
          });
          const storage = status.storage;
          $("storage").textContent = `${t("status.entries", { count: status.entries })}` +
            (storage ? ` · ${t("status.bytes", { size: bytes(storage.bytes), feeds: storage.feeds })}` : "");
          list($("transfers"), $("transfers-empty"), transfers.attachments, (a) => {
            const item = element("li", `${a.attachment.name} — ${t(`transfer.${a.state}`)} ${Math.round(a.percent)} %${a.reason ? ` (${a.reason})` : ""}`);
            const bar = element("progress");
            bar.max = 100;
            bar.value = a.percent;
            bar.setAttribute("aria-label", a.attachment.name);
            item.append(bar);
            return item;
          });
        }
        renderers.status = () => guarded(null, renderStatus);

        // ---------------------------------------------------------------- live updates

        // Events re-render what they concern, at most every 150 ms per screen.
        const pending = new Set();
        /** Screens whose refresh waits until the open question is answered. */
        const deferred = new Set();
        function askClosed() {
          const names = [...deferred];
          deferred.clear();
          for (const name of names) if (screen === name) renderers[name]?.();
        }
        function soon(name) {
          if (pending.has(name)) return;
          pending.add(name);
          setTimeout(() => {
            pending.delete(name);
            // A question asked in place (ask) is not swept away by a refresh: it waits.
            if (document.querySelector(".ask")) { deferred.add(name); return; }
            if (screen === name || name === "always") renderers[name]?.();
          }, 150);
        }

        const screensFor = {
          "radar.appeared": ["radar"], "radar.gone": ["radar"], "radar.updated": ["radar"], "friend.removed": ["radar", "chats"], "friend.blocked": ["radar", "chats"],
          "friend.renamed": ["radar", "chats"], "node.renamed": ["radar"],
          "pair.paired": ["radar", "chats"], "dm.received": ["chats"], "dm.status": ["chats"],
          "group.invited": ["groups"], "group.changed": ["groups"], "group.removed": ["groups"], "group.post": ["groups", "discover"],
          "discover.post": ["discover"], "moments.post": ["moments", "discover"],
          "peer.connected": ["status"], "peer.disconnected": ["status"], "sync.progress": ["status"], "sync.caught-up": ["status"],
        };

        function follow() {
          const events = new EventSource(withProof("/v1/events"));
          events.onopen = () => { $("connection").textContent = ""; renderers.radar(); renderers[screen]?.(); };
          for (const [type, screens] of Object.entries(screensFor)) {
            events.addEventListener(type, () => { for (const name of screens) soon(name); });
          }
          for (const type of ["pair.pressed", "pair.candidate", "pair.confirmed-by", "pair.declined", "pair.refused",
            "pair.ambiguous", "pair.paired", "pair.ended"]) {
            events.addEventListener(type, () => guarded(null, showPairing));
          }
          for (const type of ["attachment.progress", "attachment.complete", "attachment.stalled", "attachment.found"]) {
            events.addEventListener(type, (event) => {
              const data = JSON.parse(event.data);
              if (!data.attachment) return;
              const known = attachmentStates.get(data.attachment);
              if (type === "attachment.complete") attachmentStates.set(data.attachment, { ...(known ?? {}), state: "complete", percent: 100 });
              else if (known && data.total) known.percent = (data.bytes ?? 0) * 100 / data.total;
              if (type === "attachment.complete" || type === "attachment.stalled") attachmentStates.delete(data.attachment);
              rerenderAttachment(data.attachment);
              if (screen === "status") soon("status");
            });
          }
          // The stream ends when the node stops: say so, and the browser reconnects by itself.
          events.onerror = () => {
            $("connection").textContent = t("node.gone");
            // The browser retries by itself; if it gave up (an answer that is not the stream), start again.
            if (events.readyState === EventSource.CLOSED) setTimeout(follow, 3000);
          };
        }

        // ---------------------------------------------------------------- start

        $("language").value = language();
        $("language").addEventListener("change", () => { setLanguage($("language").value); renderers.radar(); renderers[screen]?.(); });
        translatePage();
        if (Number(login.get("failed")) > 0) $("login-notice").textContent = t("login.failed", { count: login.get("failed") });
        showScreen(location.hash.slice(1) in renderers ? location.hash.slice(1) : "radar");
        follow();

        """#
}
