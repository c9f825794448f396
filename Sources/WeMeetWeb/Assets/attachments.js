// Photos, voice notes and files in place: shown, played, fetched and saved, with progress
// (speed, time left, Cancel) and one Save that fetches first when needed.
import { t } from "/assets/strings.js";
import { openViewer } from "/assets/viewer.js";
import { $, withProof, passive, essence, api, guarded, element, button, bytes } from "/assets/common.js";

/** The states of attachments seen on screen, by blob ID (updated by attachment events). */
export const attachmentStates = new Map();

/** Fetches the user asked for with Save: saved to a file once they are here. */
const saveWhenHere = new Set();
/** When each fetch was first seen on this page, and what it held then (its speed). */
const transfers = new Map();

/** "45 % · 2.1 MiB/s · 9 s left" for a fetch under way (the speed since this page saw it start). */
function transferText(attachment, status) {
  const percent = Math.floor(status?.percent ?? 0);
  const start = transfers.get(attachment.id);
  const seconds = start ? (Date.now() - start.at) / 1000 : 0;
  const rate = seconds > 0 ? ((status?.bytes ?? 0) - start.bytes) / seconds : 0;
  if (rate <= 0) return t("transfer.percent", { percent });
  const left = Math.max(0, Math.ceil((attachment.size - (status?.bytes ?? 0)) / rate));
  const time = left >= 120 ? t("left.min", { n: Math.ceil(left / 60) }) : t("left.s", { n: left });
  return t("transfer.rate", { percent, speed: `${bytes(Math.round(rate))}/s`, left: time });
}

/** The one Save of an attachment: fetched first when it is not here yet. */
function saveButton(attachment, action) {
  return button(t("save", { name: attachment.name, size: bytes(attachment.size) }), action);
}

async function attachmentState(id) {
  if (attachmentStates.get(id)?.state === "complete") return attachmentStates.get(id);
  const status = await api(`/v1/attachments/${id}`).catch(() => null);
  if (status) attachmentStates.set(id, status);
  return status;
}

/** Uploads a file (or a recorded blob) and answers its Attachment. */
export async function upload(file, name, extra = "") {
  const type = file.type ? `&type=${encodeURIComponent(file.type.split(";")[0])}` : "";
  return api(`/v1/attachments?name=${encodeURIComponent(name ?? file.name ?? "file")}${type}${extra}`,
    { method: "POST", body: file });
}

/** An attachment in place: a photo inline, a voice note to play, a file to download — or a
 * progress bar while it is fetched. `from` names the sender (for accessible names). */
export function attachmentView(attachment, from) {
  const holder = element("div", null, "attachment");
  holder.dataset.attachment = attachment.id;
  holder._render = async () => {
    const status = await attachmentState(attachment.id);
    const content = withProof(`/v1/attachments/${attachment.id}/content`);
    const type = essence(attachment.mediaType);
    const state = status?.state ?? "complete";
    if (state === "on-demand") {
      // Not here yet (a big file, or a fetch cancelled): one Save fetches it, then saves it.
      holder.replaceChildren(element("span", t("offered", { name: attachment.name, size: bytes(attachment.size) })),
        saveButton(attachment, () => guarded(null, async () => {
          saveWhenHere.add(attachment.id);
          transfers.set(attachment.id, { at: Date.now(), bytes: 0 });
          await api(`/v1/attachments/${attachment.id}/fetch`, { method: "POST" });
          holder._render();
        })));
      return;
    }
    if (state === "refused") {
      holder.replaceChildren(element("span", t("refused", { name: attachment.name, reason: status?.reason ?? "" })));
      return;
    }
    if (state !== "complete") {
      // Fetching or waiting for a holder: how far, how fast, how long still, and Cancel.
      if (!transfers.has(attachment.id)) transfers.set(attachment.id, { at: Date.now(), bytes: status?.bytes ?? 0 });
      const label = element("span", state === "waiting" ? t("waiting", { name: attachment.name })
        : `${t("fetching", { name: attachment.name })} · ${transferText(attachment, status)}`);
      const bar = element("progress");
      bar.max = 100;
      bar.value = status?.percent ?? 0;
      bar.setAttribute("aria-label", t("fetching", { name: attachment.name }));
      const cancel = button(t("cancelFetch"), () => guarded(null, async () => {
        saveWhenHere.delete(attachment.id);
        transfers.delete(attachment.id);
        await api(`/v1/attachments/${attachment.id}/fetch`, { method: "DELETE" });
        attachmentStates.delete(attachment.id);
        await holder._render();
      }), t("cancelFetch.label", { name: attachment.name }));
      holder.replaceChildren(label, bar, cancel);
      return;
    }
    transfers.delete(attachment.id);
    if (saveWhenHere.delete(attachment.id)) guarded(null, () => download(attachment, content, null));
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
      image.tabIndex = 0;
      image._save = () => download(attachment, content, null);
      image.addEventListener("click", () => openViewer(image));
      image.addEventListener("keydown", (event) => { if (event.key === "Enter") openViewer(image); });
      holder.replaceChildren(image);
    } else {
      const progress = element("progress");
      progress.max = 100;
      progress.value = 0;
      progress.hidden = true;
      progress.setAttribute("aria-label", t("saving", { name: attachment.name }));
      holder.replaceChildren(saveButton(attachment, () => guarded(null, () => download(attachment, content, progress))),
        progress);
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
  if (progress) progress.hidden = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    if (progress) progress.value = attachment.size ? Math.round((received / attachment.size) * 100) : 100;
  }
  const link = element("a");
  // Never a type a browser would render on this origin: the bytes are a peer's.
  link.href = URL.createObjectURL(new Blob(parts, { type: "application/octet-stream" }));
  // A peer's name: no control or format (bidi) characters, no path.
  link.download = (attachment.name.split("/").pop() ?? "").replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\]/gu, "").replace(/^\.+/, "") || "attachment";
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export function rerenderAttachment(id) {
  for (const holder of document.querySelectorAll(".attachment")) if (holder.dataset.attachment === id) holder._render?.();
}
