import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import WeMeetControl
import WeMeetModel
import WeMeetNode

/// The web app's HTTP server on TCP (API.md, "Web app"): the login exchange, the page and
/// its assets, and the control API's `/v1` routes, all behind ``WebGuard``.
package struct WebServer: Sendable {
    package let node: Node
    package let configuration: WebConfiguration
    package let access: WebAccess
    package let logger: Logger

    package init(node: Node, configuration: WebConfiguration, access: WebAccess, logger: Logger) {
        self.node = node
        self.configuration = configuration
        self.access = access
        self.logger = logger
    }

    /// The router: guard, errors in the control API's shape, login, assets, `/v1`.
    package func router() -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self)
        let access = access
        router.add(middleware: WebGuard(access: access))
        router.add(middleware: JSONErrorMiddleware())
        router.get("/login") { request, _ in
            guard let token = request.uri.queryParameters["token"].map(String.init) else {
                return Self.page(.ok, Self.loginText, passwordForm: await access.hasPassword)
            }
            guard case .session(let session) = await access.login(token: token, password: nil) else {
                return Self.page(
                    .forbidden, "This login link was used already or has expired. Run `wemeet open` for a new one.",
                    passwordForm: await access.hasPassword)
            }
            return Self.loggedIn(session, cookieName: access.cookieName, secure: await access.certificate != nil)
        }
        router.post("/login") { request, context in
            let form = String(buffer: try await request.body.collect(upTo: 4096))
            let password = form.split(separator: "&").first { $0.hasPrefix("password=") }
                .map { String($0.dropFirst(9)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            switch await access.login(token: nil, password: password, source: context.sourceAddress) {
            case .session(let session):
                return Self.loggedIn(session, cookieName: access.cookieName, secure: await access.certificate != nil)
            case .refused:
                return Self.page(.unauthorized, "That password is not right.", passwordForm: await access.hasPassword)
            case .throttled(let delay):
                let seconds = max(1, Int((delay + .milliseconds(999)).components.seconds))
                var response = Self.page(
                    .tooManyRequests,
                    "Too many wrong passwords: this one was not checked. Try again in \(seconds) s.",
                    passwordForm: await access.hasPassword)
                response.headers[.retryAfter] = "\(seconds)"
                return response
            }
        }
        for (path, asset) in WebAssets.files {
            router.get(RouterPath(path)) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: asset.contentType],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.body)))
            }
        }
        ControlAPI.addRoutes(node, web: access, to: router)
        router.addRoutes(ControlAPI.webPasswordRoutes(access))
        return router
    }

    /// Serves until the node stops. When the default port is taken and
    /// ``WebConfiguration/fallBackToAnyPort`` allows it, takes any free port instead.
    package func run() async throws {
        var certificate: WebCertificate?
        if !configuration.isLoopback {
            let made = try WebCertificate.loadOrCreate(
                certificatePath: node.home.webCertificatePath, keyPath: node.home.webKeyPath)
            await access.secured(
                by: WebAccess.Certificate(
                    fingerprint: made.fingerprint, compactFingerprint: made.compactFingerprint,
                    publicKeyPin: made.publicKeyPin))
            certificate = made
            logger.notice(
                "the web app listens beyond loopback, over HTTPS: log a phone in with `wemeet open --lan`",
                metadata: [
                    "address": "\(configuration.host):\(configuration.port)",
                    "certificate": "\(made.fingerprint)",
                ])
        }
        do {
            try await serve(port: configuration.port, certificate: certificate)
        } catch let error as IOError where error.errnoCode == EADDRINUSE && configuration.fallBackToAnyPort {
            logger.info(
                "the web app's port is taken; using another", metadata: ["port": "\(configuration.port)"])
            try await serve(port: 0, certificate: certificate)
        }
    }

    private func serve(port: Int, certificate: WebCertificate?) async throws {
        let access = access
        let host = configuration.host
        let logger = logger
        let server: HTTPServerBuilder =
            if let certificate { try .tls(.http1(), tlsConfiguration: try certificate.serverConfiguration()) } else {
                .http1()
            }
        let app = Application(
            router: router(), server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "wemeet"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                let wildcard = host == "0.0.0.0" || host == "::"
                let shown = wildcard ? "127.0.0.1" : host
                let others = wildcard ? Set(Self.interfaceAddresses().map { $0 + ":\(bound)" }) : []
                await access.listening(on: (shown.contains(":") ? "[\(shown)]" : shown) + ":\(bound)", alsoAt: others)
                let url = await access.baseURL
                logger.info("web app running", metadata: ["url": "\(url)"])
            },
            logger: logger)
        try await app.run()
    }

    /// This machine's interface addresses (IPv6 in brackets), as a browser on the LAN
    /// writes them in the Host header.
    static func interfaceAddresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var out: [String] = []
        for pointer in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = pointer.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
                continue
            }
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard !text.contains("%") else { continue }  // link-local with a zone: not in a Host header
            out.append(family == AF_INET6 ? "[\(text)]" : text)
        }
        return out
    }

    static let loginText =
        "Run `wemeet open` on the node's machine: it prints a link that logs this browser in (once). For a phone, `wemeet open --lan` also shows it as a QR code."

    /// Sets the session cookie and goes to the app, handing it the session's proof (and the
    /// count of wrong passwords since the last login) in the fragment, which no server sees.
    static func loggedIn(_ session: WebAccess.Session, cookieName: String, secure: Bool) -> Response {
        let location = "/#proof=\(session.proof)&failed=\(session.failedAttempts)"
        var response = Response(status: .seeOther, headers: [.location: location])
        response.setCookie(
            Cookie(
                name: cookieName, value: session.cookie, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
        return response
    }

    /// The login page, with `message` (escaped).
    static func page(_ status: HTTPResponse.Status, _ message: String, passwordForm: Bool) -> Response {
        var html = WebAssets.loginTemplate.replacingOccurrences(of: "{{message}}", with: Self.escape(message))
        if !passwordForm,
            let start = html.range(of: "<!--password-form-->"),
            let end = html.range(of: "<!--/password-form-->", range: start.upperBound..<html.endIndex)
        {
            html.removeSubrange(start.lowerBound..<end.upperBound)
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
