import Hummingbird
import WeMeetModel
import WeMeetNode

extension ControlAPI {
    /// The web app's address and one-time login URLs (API.md, "Web app"). Only on the
    /// control socket: whoever may open it owns the node.
    package static func webRoutes<Context: RequestContext>(_ web: WebAccess?) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/web") { _, _ in
            try jsonResponse(WebApp(url: await web?.baseURL))
        }
        routes.post("/v1/web/login") { _, _ in
            guard let web else {
                throw NodeError(
                    code: .notFound,
                    message: "this node runs without its web app (--no-web); restart it without that flag")
            }
            return try jsonResponse(WebApp(url: await web.baseURL, login: await web.loginURL()), status: .created)
        }
        return routes
    }
}
