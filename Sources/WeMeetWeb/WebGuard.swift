import Foundation
import HTTPTypes
import Hummingbird
import WeMeetControl
import WeMeetModel

/// The rules every web request passes (API.md, "Web app"), as Syncthing and Jupyter apply
/// them: the `Host` must be the listening address or `localhost` (DNS rebinding); a request
/// that changes state must carry a same-origin `Origin` (cross-site requests); everything
/// but the login page needs the session cookie. Every answer carries a strict
/// Content-Security-Policy and no CORS header.
struct WebGuard<Context: RequestContext>: RouterMiddleware {
    let access: WebAccess

    /// The policy: nothing from elsewhere, no inline script or style, no framing, and
    /// scripts and styles only from the app's own `/assets/` — never `'self'`, which would
    /// cover the routes that return a peer's bytes. `origin` is `http(s)://HOST:PORT`.
    static func contentSecurityPolicy(origin: String) -> String {
        "default-src 'none'; script-src \(origin)/assets/; style-src \(origin)/assets/; img-src 'self' blob: data:; "
            + "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-src 'none'; worker-src 'none'; frame-ancestors 'none'"
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await check(request, context: context, next: next)
        // A route that sets its own (stricter) policy keeps it: a peer's bytes (API.md).
        let policy = HTTPField.Name("Content-Security-Policy")!
        if response.headers[policy] == nil {
            response.headers[policy] = Self.contentSecurityPolicy(
                origin: await access.scheme + "://" + (request.head.authority ?? ""))
        }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        // Not `no-referrer`: with it, Chromium sends `Origin: null` on the login form's POST.
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func check(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let authority = await access.authority
        let port = authority.split(separator: ":").last.map(String.init) ?? ""
        let host = request.head.authority ?? ""
        let others = await access.otherAuthorities
        guard host == authority || host == "localhost:\(port)" || others.contains(host) else {
            return Self.refusal(.forbidden, "wrong Host header \(host.debugDescription): open \(await access.baseURL)")
        }
        if request.method != .get && request.method != .head {
            let expected = await access.scheme + "://" + host
            guard let origin = request.headers[.origin], origin == expected else {
                return Self.refusal(
                    .forbidden, "a request that changes something must come from this page (Origin \(expected))")
            }
        }
        let path = request.uri.path
        if path == "/login" || path.hasPrefix("/assets/") { return try await next(request, context) }
        let cookie = request.cookies[access.cookieName]?.value
        if path.hasPrefix("/v1/") {
            // The cookie alone is not enough: other ports of this host receive it too.
            let proof =
                request.headers[HTTPField.Name(WebAccess.proofHeader)!]
                ?? request.uri.queryParameters["proof"].map(String.init)
            guard await access.isSession(cookie, proof: proof) else {
                return Self.refusal(.unauthorized, "not logged in: run `wemeet open` for a login link")
            }
            return try await next(request, context)
        }
        guard await access.isSession(cookie) else {
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
        return try await next(request, context)
    }

    /// A refusal in the control API's error shape.
    static func refusal(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = (try? ControlJSON.encoder.encode(ControlErrorBody(status: status.code, message: message))) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
