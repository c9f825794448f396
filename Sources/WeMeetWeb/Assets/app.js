// WeMeet's web app: the control API's /v1 routes, live through /v1/events. Each screen is a
// module that registers its renderer; this one starts the page.
import { t, language, setLanguage, translatePage } from "/assets/strings.js";
import { $, login, screen, renderers, showScreen } from "/assets/common.js";
import { follow } from "/assets/live.js";
// Each screen registers its renderer and its controls when loaded.
import "/assets/radar.js";
import "/assets/chats.js";
import "/assets/groups.js";
import "/assets/moments.js";
import "/assets/settings.js";
import "/assets/status.js";
import "/assets/notify.js";

$("language").value = language();
$("language").addEventListener("change", () => { setLanguage($("language").value); renderers.radar(); renderers[screen]?.(); });
translatePage();
if (Number(login.get("failed")) > 0) $("login-notice").textContent = t("login.failed", { count: login.get("failed") });
showScreen(location.hash.slice(1) in renderers ? location.hash.slice(1) : "radar");
follow();
