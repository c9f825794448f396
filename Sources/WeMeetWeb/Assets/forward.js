// Forwarding: a message's text, photos, voice notes and files sent on to another chat or group.
// The new message names the same blobs (no upload again): this node serves them to the new
// readers, so it must hold them all (the node says so otherwise).
import { t } from "/assets/strings.js";
import { $, api, json, guarded, element, button, list, person } from "/assets/common.js";

let forwarding = null;

/** Opens the chooser for `message` ({text, attachments}); `done(name)` runs once it is sent. */
export async function openForward(message, done) {
  forwarding = { message, done };
  $("forward-error").textContent = "";
  const [{ friends }, { groups }] = await Promise.all([api("/v1/friends"), api("/v1/groups")]);
  const targets = [
    ...friends.map((f) => ({ kind: "friend", id: f.nodeID, name: f.remark || f.name })),
    ...groups.filter((g) => g.role === "member").map((g) => ({ kind: "group", id: g.id, name: g.name })),
  ];
  list($("forward-targets"), $("forward-empty"), targets, (target) => {
    const item = element("li");
    const choose = button("", () => guarded($("forward-error"), () => send(target)), t("forward.to", { name: target.name }));
    choose.classList.add("row");
    choose.append(person(target.id, target.name, target.kind === "group" ? t("forward.group") : ""));
    item.append(choose);
    return item;
  });
  $("forward").showModal();
}

async function send(target) {
  const { message, done } = forwarding;
  const body = { text: message.text ?? "", attachments: (message.attachments ?? []).map((a) => a.id) };
  if (target.kind === "friend") await api(`/v1/messages/${encodeURIComponent(target.id)}`, json(body));
  else await api(`/v1/groups/${target.id}/posts`, json(body));
  $("forward").close();
  done?.(target.name);
}

$("forward-cancel").addEventListener("click", () => $("forward").close());
