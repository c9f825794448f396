/// WeMeetWeb — the web app a node serves to its own user on `http://127.0.0.1:7780`
/// (API.md, "Web app"): the login exchange (a one-time token from `wemeet open` for an
/// HttpOnly, SameSite=Strict session cookie), the guard every request passes (Host against
/// DNS rebinding, a same-origin `Origin` on every state change, a strict
/// Content-Security-Policy, no CORS), the page and its assets carried in the binary, and the
/// control API's own `/v1` routes — the web layer holds no feature logic of its own.
