/// The web app's files, carried in the binary (a copied `wemeet` works on its own,
/// offline): plain HTML, CSS and JavaScript modules, no build step. Text from peers is only
/// ever set with `textContent`, never parsed as HTML.
enum WebAssets {
    struct Asset {
        var contentType: String
        var body: String
    }

    static func asset(_ path: String) -> Asset? {
        switch path {
        case "/", "/index.html": Asset(contentType: "text/html; charset=utf-8", body: index)
        case "/assets/app.js": Asset(contentType: "text/javascript; charset=utf-8", body: appJS)
        case "/assets/strings.js": Asset(contentType: "text/javascript; charset=utf-8", body: stringsJS)
        case "/assets/app.css": Asset(contentType: "text/css; charset=utf-8", body: appCSS)
        default: nil
        }
    }
}
