// Notifications through the browser's Notification API, once the person turned them on in
// Settings (the browser asks them): new messages, group invitations, a friend pressing pair.
// A conversation on screen does not notify about itself. Text from peers is only a
// notification's title or body, which the browser shows as plain text.
import { t } from "/assets/strings.js";
import { $, guarded, screen, showScreen, renderers } from "/assets/common.js";

const supported = "Notification" in window;

/** Whether notifications are shown: the browser allows them and they were not turned off here. */
export const notificationsOn = () => supported && Notification.permission === "granted" && localStorage.getItem("wemeet.notify") !== "off";

/** Shows a notification; clicking it brings the page back, at `open` (a function) if given. */
export function notify(title, body, tag, open) {
  if (!notificationsOn()) return;
  const notification = new Notification(title, { body, tag, lang: document.documentElement.lang });
  notification.addEventListener("click", () => {
    window.focus();
    notification.close();
    open?.();
  });
}

/** Whether the person is looking at `name`'s screen right now (then it needs no notification). */
export const seeing = (name) => document.visibilityState === "visible" && screen === name;

/** The Settings block: what notifications do, their state, and the button that asks the browser. */
export function renderNotificationSettings() {
  $("notify-state").textContent = !supported ? t("notify.unsupported")
    : Notification.permission === "granted" ? t("notify.isOn")
      : Notification.permission === "denied" ? t("notify.denied") : "";
  $("notify-on").hidden = !supported || Notification.permission !== "default";
}

$("notify-on").addEventListener("click", () => guarded($("notify-state"), async () => {
  await Notification.requestPermission();
  localStorage.removeItem("wemeet.notify");
  renderNotificationSettings();
}));

/** Opens a screen from a notification. */
export const openScreen = (name) => () => { showScreen(name); renderers[name]?.(); };
