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
    const message = t("error", { message: localized(error.message) });
    if (element) element.textContent = message; else $("connection").textContent = message;
  }
}

/** The node's reasons a person meets often, in the page's language (the node speaks English). */
const nodeReasons = [
  [/^too late: a message can be recalled/, "error.recallLate"],
  [/^too late: a post can be recalled/, "error.recallLatePost"],
  [/^only your own (messages|posts) can be recalled/, "error.recallOthers"],
];
const localized = (message) => {
  const known = nodeReasons.find(([pattern]) => pattern.test(message ?? ""));
  return known ? t(known[1]) : message;
};

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
  // A question asked in place (ask) is never swept away by a refresh that was already on its
  // way when it was asked: the refresh waits until it is answered.
  if (target.querySelector(".ask")) { deferred.add(screen); return; }
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

/** This node, as the radar last read it (its own avatar and name on its posts). */
export const self = { nodeID: "", name: "" };

export let screen = "radar";
export const renderers = {};

/** True on a phone-sized screen: one pane at a time, a conversation over its list. */
export const onePane = () => matchMedia("(max-width: 59.99rem)").matches;

/** What closes a screen's open conversation or group (its Back), by screen. */
export const backs = {};

export function showScreen(name) {
  // On a phone a tab opens at its list, as the tab bars of WeChat and Signal do.
  if (onePane()) for (const back of Object.values(backs)) back();
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

// ---------------------------------------------------------------- avatars

/** FNV-1a over the text's UTF-16 units: a small, stable hash (not for security). */
function hash(text, seed = 0x811c9dc5) {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The hue (0–359) a node's avatar is drawn in; the same node, the same colour, everywhere. */
export const hue = (nodeID) => hash(nodeID ?? "") % 360;

const svgNS = "http://www.w3.org/2000/svg";

/**
 * A node's avatar: a 5×5 mirrored pattern drawn from its node ID, in its hue, with the first
 * letter of its name over it. Built with DOM calls: a name is only ever text.
 */
export function avatar(nodeID, name, size = 40) {
  const box = element("span", null, "avatar");
  box.setAttribute("aria-hidden", "true");
  box.style.setProperty("--size", `${size}px`);
  box.style.setProperty("--hue", String(hue(nodeID)));
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("viewBox", "0 0 5 5");
  const bits = hash(nodeID ?? "", 0x9747b28c);
  for (let row = 0; row < 5; row++) {
    for (let column = 0; column < 3; column++) {
      if (!((bits >>> (row * 3 + column)) & 1)) continue;
      for (const x of new Set([column, 4 - column])) {
        const cell = document.createElementNS(svgNS, "rect");
        cell.setAttribute("x", String(x));
        cell.setAttribute("y", String(row));
        cell.setAttribute("width", "1");
        cell.setAttribute("height", "1");
        svg.append(cell);
      }
    }
  }
  const initial = [...(name ?? "").trim()][0]?.toLocaleUpperCase() ?? "?";
  box.append(svg, element("span", initial, "initial"));
  return box;
}

/** A person (or group) in a list: avatar (its letter from `avatarName`), name, and a line under it. */
export function person(nodeID, name, sub, avatarName = name) {
  const row = element("span", null, "person");
  const text = element("span", null, "text");
  text.append(element("span", name, "name"));
  if (sub) text.append(element("span", sub, "sub"));
  row.append(avatar(nodeID, avatarName), text);
  return row;
}

// ---------------------------------------------------------------- times

/** A message's time of day, as a chat shows it under its day's separator ("14:05"). */
export function shortTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const locale = document.documentElement.lang || undefined;
  return date.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}

/** The key and words of a day, for the separators between days in a conversation. */
export function day(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { key: "unknown", label: "" };
  const key = `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  const locale = document.documentElement.lang || undefined;
  let label;
  if (date.toDateString() === today.toDateString()) label = t("day.today");
  else if (date.toDateString() === yesterday.toDateString()) label = t("day.yesterday");
  else label = date.toLocaleDateString(locale, { year: date.getFullYear() === today.getFullYear() ? undefined : "numeric", month: "long", day: "numeric", weekday: "short" });
  return { key, label };
}

// ---------------------------------------------------------------- badges

const counts = {};

/** Sets the unread count on a tab and, for all tabs together, in the page's title. */
export function setBadge(name, count) {
  counts[name] = count;
  const badge = $(`badge-${name}`);
  if (badge) {
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = !count;
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  document.title = total ? `(${total > 99 ? "99+" : total}) WeMeet` : "WeMeet";
}

/** A reply's quote, as this node holds the quoted message or post (never as the reply
 * claims); clicked, it shows the quoted item of `list` (its `data-key` is the ID). */
export function quoteView(quote, list) {
  const box = element("span", null, "quote");
  if (!quote.available) {
    box.textContent = t("quote.unavailable");
    box.classList.add("unavailable");
    return box;
  }
  const who = quote.from === "me" ? t("chat.me") : quote.from;
  const files = quote.attachments ? ` ${t("quote.files", { count: quote.attachments })}` : "";
  box.textContent = `${who}: ${quote.text ?? ""}${files}`;
  box.title = t("quote.jump");
  box.addEventListener("click", () => {
    const target = [...list.children].find((item) => item.dataset.key === quote.id);
    target?.scrollIntoView({ block: "center" });
  });
  return box;
}
