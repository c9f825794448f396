// The radar screen: who is nearby, friends (unpair, block) and hold to pair.
import { t } from "/assets/strings.js";
import { $, api, json, path, guarded, element, button, list, ask, shortID, renderers, self, person, setBadge, screen } from "/assets/common.js";

export let friends = [];
/** The friends as last listed (the radar and the groups screen both list them). */
export function setFriends(list) { friends = list; }

async function renderRadar() {
  const [status, radar, friendList] = await Promise.all([api("/v1/status"), api("/v1/radar"), api("/v1/friends")]);
  $("me").textContent = `${status.name} · ${status.nodeID}`;
  self.nodeID = status.nodeID;
  self.name = status.name;
  friends = friendList.friends;
  // Nobody on the radar: say why when discovery itself is not working.
  $("radar-empty").textContent = status.discovery === "unavailable"
    ? t("nearby.unavailable", { detail: status.discoveryDetail ?? "" })
    : status.discovery === "disabled" ? t("nearby.disabled") : t("nearby.empty");
  list($("radar"), $("radar-empty"), radar.nearby, (entry) => {
    const item = element("li");
    item.append(person(entry.nodeID, entry.friend ? t("nearby.friend", { name: entry.name }) : entry.name));
    if (entry.friend) item.classList.add("friend");
    return item;
  });
  list($("friends"), $("friends-empty"), friends, (friend) => {
    const item = element("li");
    const actions = element("span", null, "actions");
    item.append(person(friend.nodeID, friend.name), actions);
    actions.append(
      button(t("friend.unpair"), () => ask(item, t("friend.unpair.ask", { name: friend.name }), t("friend.unpair"),
        () => api(`/v1/friends/${path(friend.nodeID)}`, { method: "DELETE" })), t("friend.unpair.label", { name: friend.name })),
      button(t("friend.block"), () => ask(item, t("friend.block.ask", { name: friend.name }), t("friend.block"),
        () => api("/v1/blocked", json({ choice: friend.nodeID }))), t("friend.block.label", { name: friend.name })));
    return item;
  });
}
renderers.radar = () => guarded(null, async () => {
  keepLooking();
  await renderRadar();
});

// While the radar screen is open and the page in sight, the node checks that the strangers
// it lists are still there (Protocol.md §5.4); a look lasts a minute and is renewed every 30 s.
let looking = null;
const radarInSight = () => screen === "radar" && document.visibilityState === "visible";
const look = () => api("/v1/radar/watch", json({})).catch(() => {});
function keepLooking() {
  if (radarInSight() && looking === null) {
    look();
    looking = setInterval(() => (radarInSight() ? look() : keepLooking()), 30_000);
  } else if (!radarInSight() && looking !== null) {
    clearInterval(looking);
    looking = null;
  }
}
document.addEventListener("visibilitychange", keepLooking);

// Hold to pair: holding the button is the press; letting go before pairing ends it.
// Pairing completes while both hold (each node confirms a lone presser by itself);
// with several pressers, only a choice pairs. Afterwards both check the code.
let holding = false;
let letGoEarly = false;
let sawCandidate = false;
/** The friend made by the last press, whose code is still to be checked. */
let toCheck = null;

/** "074000" → "074 000", as the CLI writes it. */
const formatCode = (code) => (code ?? "").length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code ?? "";

async function press() {
  if (holding) return;
  holding = true;
  letGoEarly = false;
  sawCandidate = false;
  toCheck = null;
  $("pair").setAttribute("aria-pressed", "true");
  $("pair-code").textContent = "";
  $("pair-check").replaceChildren();
  $("pair-status").textContent = t("pair.looking");
  await guarded($("pair-status"), () => api("/v1/pair", json({ window: 120, interactive: true })));
  await showPairing();
}

async function release() {
  if (!holding) return;
  holding = false;
  $("pair").setAttribute("aria-pressed", "false");
  const status = await api("/v1/pair").catch(() => null);
  if (status?.state !== "pressing") return;
  // Several pressers: the choice stays open after letting go (a finger or the mouse
  // is needed to choose); "Stop pairing" ends it.
  if (status.choosing) return showPairing();
  letGoEarly = true;
  sawCandidate ||= (status.candidates ?? []).length > 0;
  await api("/v1/pair", { method: "DELETE" }).catch(() => {});
  $("pair-code").textContent = "";
  $("pair-candidates").replaceChildren();
  $("pair-status").textContent = sawCandidate ? t("pair.early") : t("pair.alone");
}

/** After pairing: "codes match" keeps the friend; "codes differ" unpairs at once. */
function showCheck(friend) {
  $("pair-status").textContent = t("pair.friends", { name: friend.name });
  $("pair-code").textContent = formatCode(friend.code);
  $("pair-check").replaceChildren(
    button(t("pair.match"), () => {
      toCheck = null;
      $("pair-check").replaceChildren();
      $("pair-status").textContent = t("pair.checked", { name: friend.name });
    }),
    button(t("pair.differ"), () => guarded(null, async () => {
      await api(`/v1/friends/${path(friend.nodeID)}`, { method: "DELETE" });
      toCheck = null;
      $("pair-check").replaceChildren();
      $("pair-code").textContent = "";
      $("pair-status").textContent = t("pair.unpaired", { name: friend.name });
      renderRadar();
    })));
}

export async function showPairing() {
  const status = await api("/v1/pair");
  const candidates = status.candidates ?? [];
  $("pair-candidates").replaceChildren();
  if (status.state === "pressing") {
    if (candidates.length > 0) sawCandidate = true;
    const live = candidates.filter((c) => !c.declined);
    if (!status.choosing) $("pair-check").replaceChildren();
    if (candidates.length === 0) {
      $("pair-status").textContent = t("pair.looking");
      $("pair-code").textContent = "";
    } else if (live.length === 0 && !status.choosing) {
      const [c] = candidates;
      $("pair-status").textContent = t("pair.declined", { name: c.name, reason: c.declined });
      $("pair-code").textContent = "";
    } else if (live.length === 1 && !status.choosing) {
      const [c] = live;
      $("pair-status").textContent = t("pair.with", { name: c.name, id: shortID(c.nodeID) });
      $("pair-code").textContent = formatCode(c.code);
    } else {
      $("pair-status").textContent = t("pair.several");
      $("pair-code").textContent = "";
      $("pair-check").replaceChildren(button(t("pair.stop"), () => guarded(null, async () => {
        letGoEarly = true;
        await api("/v1/pair", { method: "DELETE" });
        $("pair-check").replaceChildren();
        $("pair-candidates").replaceChildren();
        $("pair-status").textContent = t("pair.stopped");
      })));
      list($("pair-candidates"), null, candidates, (c) => {
        const item = element("li");
        const chosen = c.declined ? ` — ${t("pair.gone")}` : c.chosen ? ` — ${t("pair.chosen")}` : "";
        const choose = button(`${c.name} (${shortID(c.nodeID)}) ${formatCode(c.code)}${chosen}`,
          () => guarded(null, async () => {
            toCheck = { nodeID: c.nodeID };
            await api("/v1/pair/choose", json({ choice: c.nodeID }));
            await showPairing();
          }),
          t("pair.choose", { name: c.name }) + chosen);
        choose.disabled = Boolean(c.declined) || !c.code;
        item.append(choose);
        return item;
      });
    }
  } else if (status.state === "paired" && status.friend) {
    if (holding || toCheck?.nodeID === status.friend.nodeID) {
      toCheck = status.friend;
      showCheck(status.friend);
    }
  } else if (status.state === "ended") {
    if (letGoEarly) return;
    $("pair-status").textContent = t("pair.ended", { reason: status.message ?? "" });
    $("pair-code").textContent = "";
  }
}

const pairButton = $("pair");
pairButton.addEventListener("pointerdown", (event) => { pairButton.setPointerCapture(event.pointerId); press(); });
for (const type of ["pointerup", "pointercancel"]) pairButton.addEventListener(type, () => release());
pairButton.addEventListener("keydown", (event) => {
  if ((event.key === " " || event.key === "Enter") && !event.repeat) { event.preventDefault(); press(); }
});
pairButton.addEventListener("keyup", (event) => { if (event.key === " " || event.key === "Enter") release(); });
