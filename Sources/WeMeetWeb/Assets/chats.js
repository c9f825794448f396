// Chats: the list, a conversation with a friend, sending text, photos, files and voice notes.
import { t } from "/assets/strings.js";
import { $, api, json, guarded, element, button, list, renderers } from "/assets/common.js";
import { upload, attachmentView } from "/assets/attachments.js";

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
