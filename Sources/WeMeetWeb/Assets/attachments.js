// Photos, voice notes and files in place: shown, played, fetched and saved, with progress.
import { t } from "/assets/strings.js";
import { openViewer } from "/assets/viewer.js";
import { $, withProof, passive, essence, api, guarded, element, button, bytes } from "/assets/common.js";

/** The states of attachments seen on screen, by blob ID (updated by attachment events). */
export const attachmentStates = new Map();

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
export function attachmentView(attachment, from, own = false) {
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
