// Shared by every screen: the control API with the session's proof, element helpers, questions
// asked in place, and which screen is shown. Text from peers goes into the page with
// textContent only, never as HTML.
import { t } from "/assets/strings.js";

export const $ = (id) => document.getElementById(id);

// The session's proof: handed over once in the fragment after logging in, kept in this
// origin's storage (other ports of the machine never see it, unlike the cookie), and sent
// with every call — as a header, or as `proof=` where a header cannot be set.
export const login = new URLSearchParams(location.hash.startsWith("#proof=") ? location.hash.slice(1) : "");
if (login.get("proof")) {
  localStorage.setItem("wemeet-proof", login.get("proof"));
  history.replaceState(null, "", "/");
}
const proof = localStorage.getItem("wemeet-proof") ?? "";
export const withProof = (url) => url + (url.includes("?") ? "&" : "?") + "proof=" + encodeURIComponent(proof);

/** Types shown in place (API.md, "Attachment content"); anything else is a download. */
export const passive = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
  "audio/mpeg", "audio/mp4", "audio/aac", "audio/ogg", "audio/opus", "audio/wav", "audio/webm", "audio/flac",
  "video/mp4", "video/webm", "video/ogg"]);
export const essence = (type) => (type ?? "").split(";")[0].trim().toLowerCase();

/** A control-API call: the JSON answer, or an Error carrying the node's own words. */
export async function api(path, options = {}) {
  const headers = { ...(options.headers ?? {}), "X-WeMeet-Proof": proof };
  const response = await fetch(path, { credentials: "same-origin", ...options, headers });
  if (response.status === 401) $("connection").textContent = t("login.again");
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error?.message ?? `${response.status} ${response.statusText}`);
  return body;
}
export const json = (body) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
export const path = (...parts) => parts.map(encodeURIComponent).join("/");

/** Runs `work`, showing its error (if any) in `element`, in plain words, and clearing it otherwise. */
export async function guarded(element, work) {
  try {
    const result = await work();
    if (element) element.textContent = "";
    return result;
  } catch (error) {
    if (element) element.textContent = t("error", { message: error.message });
    else $("connection").textContent = t("error", { message: error.message });
  }
}

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function button(text, onClick, label) {
  const node = element("button", text);
  node.type = "button";
  if (label) node.setAttribute("aria-label", label);
  node.addEventListener("click", onClick);
  return node;
}

export function list(target, empty, items, render) {
  target.replaceChildren(...items.map(render));
  if (empty) empty.hidden = items.length > 0;
}

/** Asks in place before something that cannot be undone: `question`, then `yes` or Cancel. */
export function ask(item, question, yes, work) {
  const box = element("span", null, "ask");
  box.setAttribute("role", "group");
  box.append(element("span", question),
    button(yes, () => guarded(box, async () => { await work(); box.remove(); askClosed(); renderers[screen]?.(); })),
    button(t("cancel"), () => { box.remove(); askClosed(); }));
  item.querySelector(".ask")?.remove();
  item.append(box);
  box.querySelector("button")?.focus();
}

export const shortID = (nodeID) => (nodeID ?? "").slice(0, 7);
export const bytes = (n) => n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GiB` : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB`
  : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;

export let screen = "radar";
export const renderers = {};

export function showScreen(name) {
  screen = name;
  for (const section of document.querySelectorAll(".screen")) section.hidden = section.id !== `screen-${name}`;
  for (const tab of document.querySelectorAll("nav button")) {
    if (tab.dataset.screen === name) tab.setAttribute("aria-current", "page"); else tab.removeAttribute("aria-current");
  }
  history.replaceState(null, "", `#${name}`);
  renderers[name]?.();
}
for (const tab of document.querySelectorAll("nav button")) tab.addEventListener("click", () => showScreen(tab.dataset.screen));

/** Screens whose refresh waits until the open question is answered. */
export const deferred = new Set();
function askClosed() {
  const names = [...deferred];
  deferred.clear();
  for (const name of names) if (screen === name) renderers[name]?.();
}
