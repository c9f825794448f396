/// The web app's files, carried in the binary (a copied `wemeet` works on its own, offline):
/// plain HTML, CSS and JavaScript modules in `Assets/`, one module per screen, embedded by
/// SwiftPM's `embedInCode` rule, no build step. Text from peers is only ever set with
/// `textContent`, never parsed as HTML.
enum WebAssets {
    /// One file of the app, as served.
    struct Asset: Sendable {
        var contentType: String
        var body: [UInt8]
    }

    private static let html = "text/html; charset=utf-8"
    private static let javaScript = "text/javascript; charset=utf-8"
    private static let css = "text/css; charset=utf-8"

    /// Every file by the path it is served at.
    static let files: [String: Asset] = [
        "/": Asset(contentType: html, body: PackageResources.index_html),
        "/index.html": Asset(contentType: html, body: PackageResources.index_html),
        "/assets/app.css": Asset(contentType: css, body: PackageResources.app_css),
        "/assets/strings.js": Asset(contentType: javaScript, body: PackageResources.strings_js),
        "/assets/common.js": Asset(contentType: javaScript, body: PackageResources.common_js),
        "/assets/app.js": Asset(contentType: javaScript, body: PackageResources.app_js),
        "/assets/live.js": Asset(contentType: javaScript, body: PackageResources.live_js),
        "/assets/attachments.js": Asset(contentType: javaScript, body: PackageResources.attachments_js),
        "/assets/radar.js": Asset(contentType: javaScript, body: PackageResources.radar_js),
        "/assets/chats.js": Asset(contentType: javaScript, body: PackageResources.chats_js),
        "/assets/groups.js": Asset(contentType: javaScript, body: PackageResources.groups_js),
        "/assets/moments.js": Asset(contentType: javaScript, body: PackageResources.moments_js),
        "/assets/settings.js": Asset(contentType: javaScript, body: PackageResources.settings_js),
        "/assets/status.js": Asset(contentType: javaScript, body: PackageResources.status_js),
        "/assets/notify.js": Asset(contentType: javaScript, body: PackageResources.notify_js),
        "/assets/viewer.js": Asset(contentType: javaScript, body: PackageResources.viewer_js),
        "/assets/forward.js": Asset(contentType: javaScript, body: PackageResources.forward_js),
    ]

    /// The login page's template: `{{message}}` (escaped by the caller) and the password form
    /// between `<!--password-form-->` and `<!--/password-form-->`.
    static var loginTemplate: String { String(decoding: PackageResources.login_html, as: UTF8.self) }
}
