// Settings: one's own name, public posts, automatic fetching, quotas, the login password.
import { t } from "/assets/strings.js";
import { renderNotificationSettings } from "/assets/notify.js";
import { $, api, json, guarded, element, renderers } from "/assets/common.js";

const quotaNames = ["author_bytes", "author_feeds", "outsider_bytes", "outsider_feeds", "total_bytes", "total_feeds", "unreadable_bytes"];
/** Quotas in bytes are shown and typed in MB; the others are counts. */
const inMegabytes = (name) => name.endsWith("_bytes");

/** "= 8 GB" for 8192 (MB typed), "= 1.5 TB", "" for what is not a number or under 1 GB. */
function sizeText(megabytes) {
  const value = Number(megabytes);
  if (String(megabytes).trim() === "" || !Number.isFinite(value) || value < 1024) return "";
  const [amount, unit] = value >= 1 << 20 ? [value / (1 << 20), "TB"] : [value / 1024, "GB"];
  const shown = Number.isInteger(amount) ? String(amount) : amount.toFixed(1);
  return t("size.equals", { size: `${shown} ${unit}` });
}

async function renderSettings() {
  renderNotificationSettings();
  const [settings, password, profile, status] = await Promise.all([
    api("/v1/settings"), api("/v1/web/password"), api("/v1/profile"), api("/v1/status"),
  ]);
  if (document.activeElement !== $("own-name")) $("own-name").value = profile.name;
  $("hide-public").checked = settings.hide_public_posts;
  $("typing-indicators").checked = settings.typing_indicators !== false;
  $("relay-friends").checked = settings.relay_for_friends !== false;
  $("relay-mine").checked = settings.friends_relay_mine !== false;
  const relay = status.relay;
  $("relay-usage").textContent = relay
    ? t(relay.feeds === 0 ? "settings.relay.none" : relay.feeds === 1 ? "settings.relay.usage.one" : "settings.relay.usage", {
      feeds: relay.feeds, used: megabytes(relay.bytes), total: megabytes(relay.totalLimit),
      author: megabytes(relay.authorLimit), days: Math.round(relay.holdSeconds / 86400),
    })
    : "";
  $("automatic-size").value = String(settings.automatic_attachment_bytes / (1 << 20));
  $("automatic-size-unit").textContent = sizeText($("automatic-size").value);
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
    const help = element("p", t(`quota.${name}.help`), "help");
    help.id = `quota-${name}-help`;
    input.setAttribute("aria-describedby", help.id);
    // Sizes also in the largest unit that fits ("= 8 GB" beside 8192 MB); every row keeps
    // the place, so the boxes line up.
    const unit = element("span", inMegabytes(name) ? sizeText(input.value) : "", "unit");
    if (inMegabytes(name)) input.addEventListener("input", () => { unit.textContent = sizeText(input.value); });
    row.append(label, input, unit, help);
    return row;
  }));
  $("password-state").textContent = password.set ? t("password.isSet") : t("password.notSet");
  $("password-current-row").hidden = !password.set;
  $("password-remove").hidden = !password.set;
}
renderers.settings = () => guarded($("settings-error"), renderSettings);

/** Bytes as "12.5 MB". */
/** A size for people: KB under a tenth of a megabyte (so a little is not "0.0 MB"), GB from 1024 MB. */
function megabytes(bytes) {
  if (bytes > 0 && bytes < (1 << 20) / 10) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const [value, unit] = bytes >= 1 << 30 ? [bytes / (1 << 30), "GB"] : [bytes / (1 << 20), "MB"];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

async function saveSettings(body) {
  await api("/v1/settings", json(body));
  $("settings-saved").textContent = t("settings.saved");
  await renderSettings();
}

$("automatic-size").addEventListener("input", () => {
  $("automatic-size-unit").textContent = sizeText($("automatic-size").value);
});

$("typing-indicators").addEventListener("change", () => {
  $("settings-saved").textContent = "";
  guarded($("settings-error"), () => saveSettings({ typing_indicators: $("typing-indicators").checked }));
});

$("relay-friends").addEventListener("change", () => {
  $("settings-saved").textContent = "";
  guarded($("settings-error"), () => saveSettings({ relay_for_friends: $("relay-friends").checked }));
});

$("relay-mine").addEventListener("change", () => {
  $("settings-saved").textContent = "";
  guarded($("settings-error"), () => saveSettings({ friends_relay_mine: $("relay-mine").checked }));
});

$("hide-public").addEventListener("change", () => {
  $("settings-saved").textContent = "";
  guarded($("settings-error"), () => saveSettings({ hide_public_posts: $("hide-public").checked }));
});

$("settings-form").addEventListener("submit", (event) => {
  event.preventDefault();
  $("settings-saved").textContent = "";
  guarded($("settings-error"), () => {
    const quotas = {};
    for (const name of quotaNames) {
      const field = $(`quota-${name}`);
      const value = Number(field.value);
      // The node's limits (1 PiB, 10,000,000 feeds), said here in the page's words.
      const maximum = inMegabytes(name) ? 1 << 30 : 10_000_000;
      const label = t(`quota.${name}`);
      if (field.value.trim() === "" || !Number.isFinite(value) || value < 0) throw new Error(t("quota.notNumber", { name: label }));
      if (value > maximum) throw new Error(t("quota.tooBig", { name: label, max: maximum.toLocaleString("en-US") }));
      quotas[name] = inMegabytes(name) ? Math.round(value * (1 << 20)) : Math.round(value);
    }
    const megabytes = Number($("automatic-size").value);
    return saveSettings({
      hide_public_posts: $("hide-public").checked, automatic_attachment_bytes: Math.round(megabytes * (1 << 20)), quotas,
    });
  });
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
