// Live updates: one /v1/events stream, read here, re-rendering what each event concerns.
import { t } from "/assets/strings.js";
import { $, withProof, guarded, screen, renderers, deferred, self } from "/assets/common.js";
import { showPairing } from "/assets/radar.js";
import { attachmentStates, rerenderAttachment } from "/assets/attachments.js";
import { updateChatBadge, openChat, openConversation, isMuted, showTyping } from "/assets/chats.js";
import { updateGroupBadge, isGroupMuted, openGroupID, openGroupView, groupName } from "/assets/groups.js";
import { notify, seeing, openScreen } from "/assets/notify.js";

/** Renderers that run whatever the screen: the unread counts on the tabs and in the title. */
renderers.badges = () => { updateChatBadge(); updateGroupBadge(); };
const always = new Set(["badges"]);

// Events re-render what they concern, at most every 150 ms per screen.
const pending = new Set();
function soon(name) {
  if (pending.has(name)) return;
  pending.add(name);
  setTimeout(() => {
    pending.delete(name);
    // A question asked in place (ask) is not swept away by a refresh: it waits.
    if (always.has(name)) { renderers[name]?.(); return; }
    if (document.querySelector(".ask")) { deferred.add(name); return; }
    if (screen === name) renderers[name]?.();
  }, 150);
}

const screensFor = {
  "radar.appeared": ["radar"], "radar.gone": ["radar"], "radar.updated": ["radar"], "friend.removed": ["radar", "chats"], "friend.blocked": ["radar", "chats"],
  "friend.renamed": ["radar", "chats"], "node.renamed": ["radar"], "chat.changed": ["chats", "groups", "badges"],
  "pair.paired": ["radar", "chats"], "dm.received": ["chats", "badges"], "dm.status": ["chats"], "dm.held": ["chats"], "dm.recalled": ["chats"],
  "group.invited": ["groups", "badges"], "group.changed": ["groups"], "group.removed": ["groups", "badges"], "group.post": ["groups", "discover"], "group.recalled": ["groups", "discover"],
  "discover.post": ["discover"], "moments.post": ["moments", "discover"], "moments.reaction": ["moments"],
  "peer.connected": ["status"], "peer.disconnected": ["status"], "sync.progress": ["status"], "sync.caught-up": ["status"],
};

export function follow() {
  const events = new EventSource(withProof("/v1/events"));
  events.onopen = () => { $("connection").textContent = ""; renderers.radar(); renderers[screen]?.(); renderers.badges(); };
  for (const [type, screens] of Object.entries(screensFor)) {
    events.addEventListener(type, () => { for (const name of screens) soon(name); });
  }
  // Notifications: a message not on screen, an invitation, a friend pressing pair.
  // "typing…" under the open chat's title; a message from that friend ends it.
  events.addEventListener("dm.typing", (event) => {
    const data = JSON.parse(event.data);
    showTyping(data.peer, data.name ?? "", data.detail === "typing");
  });
  events.addEventListener("dm.received", (event) => {
    const data = JSON.parse(event.data);
    if (openChat() === data.peer) showTyping(data.peer, "", false);
    if (seeing("chats") && openChat() === data.peer) return;
    if (isMuted(data.peer)) return;
    notify(data.name ?? "", data.detail || t("notify.photo"), `dm-${data.peer}`,
      () => { openScreen("chats")(); guarded(null, () => openConversation(data.peer, data.name ?? "")); });
  });
  // A mention notifies even in a muted group; other posts only in groups not muted.
  events.addEventListener("group.mention", (event) => {
    const data = JSON.parse(event.data);
    if (seeing("groups") && openGroupID() === data.group) return;
    notify(t("notify.mention", { name: data.name ?? "", group: groupName(data.group) }), data.detail ?? "",
      // The same tag as the post's own notification, which this one replaces.
      `group-${data.group}`, () => { openScreen("groups")(); guarded(null, () => openGroupView(data.group)); });
  });
  events.addEventListener("group.post", (event) => {
    const data = JSON.parse(event.data);
    if (data.peer === self.nodeID || isGroupMuted(data.group)) return;
    if (seeing("groups") && openGroupID() === data.group) return;
    notify(`${data.name ?? ""} · ${groupName(data.group)}`, data.detail || t("notify.photo"), `group-${data.group}`,
      () => { openScreen("groups")(); guarded(null, () => openGroupView(data.group)); });
  });
  events.addEventListener("group.invited", (event) => {
    const data = JSON.parse(event.data);
    notify(t("notify.invited", { group: data.detail ?? "" }), "", `invite-${data.group}`, openScreen("groups"));
  });
  events.addEventListener("pair.candidate", (event) => {
    const data = JSON.parse(event.data);
    if (seeing("radar")) return;
    notify(t("notify.pair", { name: data.name ?? "" }), "", "pair", openScreen("radar"));
  });
  for (const type of ["pair.pressed", "pair.candidate", "pair.confirmed-by", "pair.declined", "pair.refused",
    "pair.ambiguous", "pair.paired", "pair.ended"]) {
    events.addEventListener(type, () => guarded(null, showPairing));
  }
  for (const type of ["attachment.progress", "attachment.complete", "attachment.stalled", "attachment.found",
    "attachment.cancelled"]) {
    events.addEventListener(type, (event) => {
      const data = JSON.parse(event.data);
      if (!data.attachment) return;
      const known = attachmentStates.get(data.attachment);
      if (type === "attachment.complete") attachmentStates.set(data.attachment, { ...(known ?? {}), state: "complete", percent: 100 });
      else if (known && data.total) known.percent = (data.bytes ?? 0) * 100 / data.total;
      if (type === "attachment.complete" || type === "attachment.stalled" || type === "attachment.cancelled") {
        attachmentStates.delete(data.attachment);
      }
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
