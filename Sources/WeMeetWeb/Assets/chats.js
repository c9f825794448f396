// Chats: the list, a conversation with a friend, sending text, photos, files and voice notes.
import { t } from "/assets/strings.js";
import { $, api, json, guarded, element, button, list, renderers, backs, avatar, person, shortTime, day, setBadge, quoteView } from "/assets/common.js";
import { upload, attachmentView } from "/assets/attachments.js";
import { openForward } from "/assets/forward.js";

let openFriend = null;
let messageCursor = null;
let olderMessages = [];

/** A message without text, in the chat list: [Photo], [Voice note] or [File] and its name. */
function summary(attachment) {
  if (!attachment) return "";
  if (attachment.voice) return t("last.voice");
  if ((attachment.mediaType ?? "").startsWith("image/")) return t("last.photo");
  return t("last.file", { name: attachment.name });
}

/** Each conversation as the inbox last said (remark, mute, pin), by the friend's node ID. */
const conversations = new Map();

/** Whether the user muted this friend's chat (no notification then). */
export const isMuted = (nodeID) => conversations.get(nodeID)?.muted === true;

/** The name the user sees for a friend: their remark, else the friend's own name. */
const shownName = (c) => c.remark || c.name;

/** Remembers the inbox and sets the Chats tab's count (muted chats are not counted, as in WeChat). */
function noteInbox(inbox) {
  conversations.clear();
  for (const c of inbox.conversations) conversations.set(c.friend, c);
  setBadge("chats", inbox.conversations.reduce((sum, c) => sum + (c.muted ? 0 : c.unread ?? 0), 0));
}

async function renderChats() {
  const inbox = await api("/v1/inbox");
  noteInbox(inbox);
  list($("chats"), $("chats-empty"), inbox.conversations, (c) => {
    const item = element("li");
    if (openFriend?.nodeID === c.friend) item.classList.add("current");
    const last = c.last ? (c.last.text || summary(c.last.attachments?.[0])) : "";
    const row = person(c.friend, shownName(c), last, c.name);
    const marks = [c.pinned ? t("mark.pinned") : null, c.muted ? t("mark.muted") : null].filter(Boolean);
    if (marks.length) row.querySelector(".name").after(element("span", marks.join(" · "), "marks"));
    const aside = element("span", null, "aside");
    if (c.last?.sentAt) aside.append(element("span", shortTime(c.last.sentAt), "when"));
    if (c.unread) aside.append(element("span", String(c.unread), "badge"));
    row.append(aside);
    // The button's name: who, unread, the last message (what a screen reader says).
    const unread = c.unread ? ` (${t("chats.unread", { count: c.unread })})` : "";
    const open = button("", () => guarded(null, () => openConversation(c.friend, shownName(c))),
      `${shownName(c)}${c.remark ? ` (${c.name})` : ""}${unread}${last ? ` — ${last}` : ""}`);
    open.classList.add("row");
    open.append(row);
    item.append(open);
    return item;
  });
  if (openFriend) await showConversation();
}
renderers.chats = () => guarded(null, renderChats);
/** The unread count on the Chats tab, whichever screen is shown. */
export const updateChatBadge = () => guarded(null, async () => noteInbox(await api("/v1/inbox")));

/** The friend whose conversation is open (notifications stay quiet for it while it is seen). */
export const openChat = () => openFriend?.nodeID ?? null;

export async function openConversation(nodeID, name) {
  openFriend = { nodeID, name };
  olderMessages = [];
  messageCursor = null;
  $("conversation").hidden = false;
  $("chat-pick").hidden = true;
  $("conversation-title").textContent = t("chat.with", { name });
  $("conversation-avatar").replaceChildren(avatar(nodeID, name, 32));
  $("messages").replaceChildren();
  $("compose-status").textContent = "";
  $("compose-error").textContent = "";
  showTyping(null, "", false);
  stopReply();
  for (const item of $("chats").children) item.classList.toggle("current", item.querySelector("button")?.getAttribute("aria-label")?.startsWith(name) ?? false);
  showChatMenu();
  await showConversation();
  scrollToEnd();
  $("message").focus();
}

/** The chat menu (⋯): the remark, mute and pin of the open conversation. */
function showChatMenu() {
  const c = conversations.get(openFriend?.nodeID) ?? {};
  if (document.activeElement !== $("remark")) $("remark").value = c.remark ?? "";
  $("chat-mute").textContent = c.muted ? t("unmute") : t("mute");
  $("chat-pin").textContent = c.pinned ? t("unpin") : t("pin");
}

async function changeChat(change) {
  const friend = openFriend.nodeID;
  await api(`/v1/friends/${encodeURIComponent(friend)}/preferences`, { ...json(change), method: "PUT" });
  noteInbox(await api("/v1/inbox"));
  const c = conversations.get(friend);
  if (c && openFriend?.nodeID === friend) {
    openFriend.name = shownName(c);
    $("conversation-title").textContent = t("chat.with", { name: shownName(c) });
  }
  showChatMenu();
  await renderChats();
}

$("remark-form").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded($("chat-menu-error"), () => changeChat({ remark: $("remark").value }));
});
$("chat-mute").addEventListener("click", () => guarded($("chat-menu-error"),
  () => changeChat({ muted: !conversations.get(openFriend.nodeID)?.muted })));
$("chat-pin").addEventListener("click", () => guarded($("chat-menu-error"),
  () => changeChat({ pinned: !conversations.get(openFriend.nodeID)?.pinned })));

function closeConversation() {
  if (openFriend) sayTyping(false);
  openFriend = null;
  showTyping(null, "", false);
  $("conversation").hidden = true;
  $("chat-pick").hidden = false;
  for (const item of $("chats").children) item.classList.remove("current");
}
backs.chats = closeConversation;
$("chat-back").addEventListener("click", () => { closeConversation(); renderers.chats(); });

const ticks = { sent: "✓", delivered: "✓✓", read: "✓✓" };

/** A bubble's foot: the time it was sent (the sender's claim) and, for one's own, the ticks. */
function metaView(m) {
  const meta = element("span", null, "meta");
  if (m.sentAt) {
    const time = element("time", shortTime(m.sentAt));
    time.dateTime = m.sentAt;
    meta.append(time);
  }
  if (m.status) {
    const mark = element("span", ticks[m.status] ?? "", `ticks ${m.status}`);
    mark.setAttribute("role", "img");
    mark.setAttribute("aria-label", t(`status.${m.status}`));
    mark.title = t(`status.${m.status}`);
    meta.append(mark);
  }
  // Mail carried by mutual friends (Protocol.md §8.5): who holds it for the reader, or who brought it.
  if (m.heldBy?.length && m.status === "sent") {
    meta.append(element("span", t("msg.heldBy", { names: m.heldBy.join(t("msg.and")), friend: openFriend?.name ?? "" }), "relay"));
  } else if (m.via) {
    meta.append(element("span", t(m.direction === "out" ? "msg.deliveredVia" : "msg.via", { name: m.via }), "relay"));
  }
  // Recall (撤回): one's own message, within 2 minutes (the node decides, by its clock).
  if (m.direction === "out" && !m.recalled && Date.now() - new Date(m.sentAt).getTime() < 120_000) {
    const take = button(t("recall"), () => guarded($("compose-error"), async () => {
      await api(`/v1/messages/${encodeURIComponent(openFriend.nodeID)}/recall`, json({ message: m.id }));
      await showConversation();
    }), t("recall"));
    take.classList.add("forward");
    meta.append(take);
  }
  if (m.recalled) return meta;
  // Reply: the next message quotes this one.
  const reply = button("↩", () => startReply(m), t("reply"));
  reply.classList.add("forward");
  reply.title = t("reply");
  meta.append(reply);
  // Forward: the same text and blobs, to another chat or group.
  const forward = button("↪", () => guarded($("compose-error"), () => openForward(m,
    (name) => { $("compose-status").textContent = t("forward.done", { name }); })), t("forward"));
  forward.classList.add("forward");
  forward.title = t("forward");
  meta.append(forward);
  return meta;
}

/** One bubble: the text, the message's photos, notes and files, its time and ticks. */
function messageView(m) {
  const item = element("li", null, m.direction);
  const bubble = element("span", null, "bubble");
  const who = m.from === "me" ? t("chat.me") : m.from;
  if (m.recalled) item.classList.add("recalled");
  if (m.quote) bubble.append(quoteView(m.quote, $("messages")));
  item._text = element("span", null, "line");
  item._text.append(element("span", `${who}: `, "visually-hidden"),
    m.recalled ? (m.from === "me" ? t("recalled.own") : t("recalled", { name: m.from })) : m.text ?? "");
  if (m.recalled) item._text.classList.add("recalled-text");
  if (m.text || m.recalled) bubble.append(item._text); else bubble.append(element("span", who, "visually-hidden"));
  for (const attachment of m.attachments ?? []) bubble.append(attachmentView(attachment, who));
  item._meta = metaView(m);
  bubble.append(item._meta);
  item.append(bubble);
  return item;
}

/** The message the next one replies to (quoting it), or null. */
let replyingTo = null;

function startReply(m) {
  replyingTo = m;
  const who = m.from === "me" ? t("chat.me") : m.from;
  $("quoting-text").textContent = t("reply.to", { name: who, text: m.text || summary(m.attachments?.[0]) });
  $("quoting").hidden = false;
  $("message").focus();
}

function stopReply() {
  replyingTo = null;
  $("quoting").hidden = true;
}
$("cancel-quote").addEventListener("click", stopReply);

/** A day's separator between messages. */
function dayView(entry) {
  const item = element("li", entry.label, "day");
  item.setAttribute("role", "separator");
  return item;
}

/** The messages with a separator before each new day (by the senders' dates: claims, shown as such). */
function withDays(messages) {
  const out = [];
  let last = null;
  for (const m of messages) {
    const { key, label } = day(m.sentAt);
    if (key !== last) out.push({ day: true, id: `day-${key}`, label });
    last = key;
    out.push(m);
  }
  return out;
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

const scroller = () => $("message-scroller");
const scrollToEnd = () => { scroller().scrollTop = scroller().scrollHeight; };
const atEnd = () => scroller().scrollHeight - scroller().scrollTop - scroller().clientHeight < 48;
// Read at the end, the conversation stays at its end while photos load and grow it.
let stickToEnd = true;
scroller().addEventListener("scroll", () => { stickToEnd = atEnd(); });
$("messages").addEventListener("load", () => { if (stickToEnd) scrollToEnd(); }, true);

async function showConversation() {
  if (!openFriend) return;
  const base = `/v1/messages/${encodeURIComponent(openFriend.nodeID)}`;
  const page = await api(`${base}?limit=50`);
  if (!olderMessages.length) messageCursor = page.earlier ?? null;
  $("earlier-messages").hidden = !messageCursor;
  const follow = atEnd();
  // A recalled message is a new element (its photo and text go): its key says so.
  keyedList($("messages"), withDays([...olderMessages, ...page.messages]), (m) => m.recalled ? `${m.id}:recalled` : m.id,
    (m) => m.day ? dayView(m) : messageView(m),
    (item, m) => { if (!m.day) item._meta.replaceWith(item._meta = metaView(m)); });
  if (follow) scrollToEnd();
  if (page.messages.some((m) => m.direction === "in")) {
    const inbox = await api("/v1/inbox");
    if (inbox.conversations.find((c) => c.friend === openFriend.nodeID)?.unread) {
      await api(`${base}/read`, { method: "POST" });
      await renderChats();
    }
  }
}

// Earlier messages go above what is read now, which stays where it is on the screen.
$("earlier-messages").addEventListener("click", () => guarded($("compose-error"), async () => {
  const base = `/v1/messages/${encodeURIComponent(openFriend.nodeID)}`;
  const page = await api(`${base}?limit=50&before=${messageCursor}`);
  const fromEnd = scroller().scrollHeight - scroller().scrollTop;
  olderMessages = [...page.messages, ...olderMessages];
  messageCursor = page.earlier ?? null;
  await showConversation();
  scroller().scrollTop = scroller().scrollHeight - fromEnd;
}));

async function sendMessage(text, attachments = []) {
  const quote = replyingTo?.id;
  await api(`/v1/messages/${encodeURIComponent(openFriend.nodeID)}`, json(quote ? { text, attachments, quote } : { text, attachments }));
  stopReply();
  await showConversation();
  scrollToEnd();
}

$("compose").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("message").value;
  if (!openFriend || !text) return;
  guarded($("compose-error"), async () => { await sendMessage(text); $("message").value = ""; sayTyping(false); });
});

// Typing indicators (Protocol.md §9.5): "typing" while the box has text, at most every 3 s
// (the node limits it too), "stopped" when it is sent, cleared or the chat is left. Never
// stored; the node sends nothing when the setting is off.
let typingSaidAt = 0;
function sayTyping(typing) {
  const friend = openFriend?.nodeID;
  if (!friend) return;
  if (typing && Date.now() - typingSaidAt < 3000) return;
  if (!typing && typingSaidAt === 0) return;
  typingSaidAt = typing ? Date.now() : 0;
  api(`/v1/messages/${encodeURIComponent(friend)}/typing`, json({ typing })).catch(() => {});
}
$("message").addEventListener("input", () => {
  // What the last action said (an error, "cancelled") sits over the last message: typing ends it.
  $("compose-error").textContent = "";
  $("compose-status").textContent = "";
  sayTyping($("message").value !== "");
});

let typingTimer = null;
/** Shows "NAME is typing…" under the open chat's title, for 6 s unless renewed or stopped. */
export function showTyping(peer, name, typing) {
  clearTimeout(typingTimer);
  const shown = typing && peer !== null && openFriend?.nodeID === peer;
  $("typing").textContent = shown ? t("typing", { name: openFriend.name || name }) : "";
  if (shown) typingTimer = setTimeout(() => { $("typing").textContent = ""; }, 6000);
}

$("attach").addEventListener("change", () => guarded($("compose-error"), async () => {
  const file = $("attach").files[0];
  if (!file || !openFriend) return;
  const attachment = await upload(file);
  await sendMessage($("message").value, [attachment.id]);
  $("message").value = "";
  $("attach").value = "";
}));

// Hold to talk: a voice note is recorded while the button is held and sent on release; a
// timer counts while it records, and sliding away from the button before letting go cancels.
let recorder = null;
let recordingStarted = 0;
let timer = null;
let cancelling = false;

const clock = (ms) => { const s = Math.floor(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`; };

function showTimer() {
  $("talk").textContent = cancelling ? t("talk.slideOff") : t("talk.timer", { time: clock(performance.now() - recordingStarted) });
}

async function startTalking() {
  if (recorder || !openFriend) return;
  cancelling = false;
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
    if (cancelling) { $("compose-error").textContent = t("talk.cancelled"); cancelling = false; return; }
    if (!blob.size) return;
    guarded($("compose-error"), async () => {
      const attachment = await upload(blob, "voice.webm", `&voice=true&duration_ms=${duration}`);
      await sendMessage("", [attachment.id]);
    });
  });
  recordingStarted = performance.now();
  recorder.start(250);
  timer = setInterval(showTimer, 250);
  showTimer();
  if (!talkHeld) stopTalking();
}

function resetTalk() {
  clearInterval(timer);
  timer = null;
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
// Sliding more than 4 rem away from the button arms the cancel; sliding back disarms it.
talk.addEventListener("pointermove", (event) => {
  if (!talkHeld || !recorder) return;
  const box = talk.getBoundingClientRect();
  const away = Math.max(box.left - event.clientX, event.clientX - box.right, box.top - event.clientY, event.clientY - box.bottom);
  cancelling = away > 4 * parseFloat(getComputedStyle(document.documentElement).fontSize);
  showTimer();
});
talk.addEventListener("pointerup", () => { talkHeld = false; stopTalking(); });
talk.addEventListener("pointercancel", () => { talkHeld = false; cancelling = true; stopTalking(); });
talk.addEventListener("keydown", (event) => {
  if ((event.key === " " || event.key === "Enter") && !event.repeat) { event.preventDefault(); talkHeld = true; startTalking(); }
  if (event.key === "Escape" && recorder) { cancelling = true; talkHeld = false; stopTalking(); }
});
talk.addEventListener("keyup", (event) => { if (event.key === " " || event.key === "Enter") { talkHeld = false; stopTalking(); } });
