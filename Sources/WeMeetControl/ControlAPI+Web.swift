import Hummingbird
import WeMeetModel
import WeMeetNode

extension ControlAPI {
    /// The web app's address and one-time login URLs (API.md, "Web app"). Only on the
    /// control socket: whoever may open it owns the node.
    package static func webRoutes<Context: RequestContext>(_ web: WebAccess?) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/web") { _, _ in
            guard let web else { return try jsonResponse(WebApp(url: nil)) }
            let certificate = await web.certificate
            return try jsonResponse(
                WebApp(
                    url: await web.baseURL, fingerprint: certificate?.fingerprint,
                    publicKeyPin: certificate?.publicKeyPin))
        }
        routes.post("/v1/web/login") { request, context in
            let web = try Self.webApp(web)
            let body = try await request.decode(as: WebLoginRequest.self, context: context)
            let certificate = await web.certificate
            return try jsonResponse(
                WebApp(
                    url: await web.baseURL, login: try await web.loginURL(lan: body.lan ?? false),
                    fingerprint: certificate?.fingerprint, publicKeyPin: certificate?.publicKeyPin),
                status: .created)
        }
        return routes
    }

    /// The password for logging in from another device (API.md, "Web app"): on the control
    /// socket and to a page already logged in.
    package static func webPasswordRoutes<Context: RequestContext>(_ web: WebAccess?) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/web/password") { _, _ in
            try jsonResponse(WebPasswordState(set: await Self.webApp(web).hasPassword))
        }
        routes.put("/v1/web/password") { request, context in
            let web = try Self.webApp(web)
            let body = try await request.decode(as: WebPasswordChange.self, context: context)
            try await web.setPassword(body.password, current: body.current)
            return try jsonResponse(WebPasswordState(set: await web.hasPassword))
        }
        return routes
    }

    private static func webApp(_ web: WebAccess?) throws(NodeError) -> WebAccess {
        guard let web else {
            throw NodeError(
                code: .notFound, message: "this node runs without its web app (--no-web); restart it without that flag")
        }
        return web
    }
}
