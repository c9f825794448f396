// Status: connections, sync and transfers.
import { t } from "/assets/strings.js";
import { $, api, guarded, element, list, bytes, renderers } from "/assets/common.js";

async function renderStatus() {
  const [status, transfers] = await Promise.all([api("/v1/status"), api("/v1/attachments")]);
  const discovery = t(`discovery.${status.discovery}`) + (status.discoveryDetail ? ` (${status.discoveryDetail})` : "");
  const rows = [[t("status.nodeID"), status.nodeID], [t("status.name"), status.name], [t("status.listening"), status.listen],
    [t("status.discovery"), discovery], [t("status.version"), status.version], [t("status.nearby"), String(status.nearby)]];
  $("status-node").replaceChildren(...rows.flatMap(([name, value]) => [element("dt", name), element("dd", value)]));
  list($("peers"), $("peers-empty"), status.peers, (p) => element("li", `${p.name} — ${p.address} (${t(`direction.${p.direction}`)})`));
  list($("sync"), $("sync-empty"), status.sync ?? [], (s) => {
    const item = element("li", t("status.syncPeer", { name: s.name, received: s.entriesReceived, remaining: s.remaining }));
    const bar = element("progress");
    const total = s.entriesReceived + s.remaining;
    bar.max = Math.max(total, 1);
    bar.value = s.entriesReceived;
    bar.setAttribute("aria-label", s.name);
    item.append(bar);
    return item;
  });
  const storage = status.storage;
  $("storage").textContent = `${t("status.entries", { count: status.entries })}` +
    (storage ? ` · ${t("status.bytes", { size: bytes(storage.bytes), feeds: storage.feeds })}` : "");
  list($("transfers"), $("transfers-empty"), transfers.attachments, (a) => {
    const item = element("li", `${a.attachment.name} — ${t(`transfer.${a.state}`)} ${Math.round(a.percent)} %${a.reason ? ` (${a.reason})` : ""}`);
    const bar = element("progress");
    bar.max = 100;
    bar.value = a.percent;
    bar.setAttribute("aria-label", a.attachment.name);
    item.append(bar);
    return item;
  });
}
renderers.status = () => guarded(null, renderStatus);
