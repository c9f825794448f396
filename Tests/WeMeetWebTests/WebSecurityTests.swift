import Foundation
import Testing
import WeMeetControl
import WeMeetDiscovery
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetWeb

/// The web app's security rules (API.md, "Web app"), each against a real node serving it
/// on loopback, with curl setting the headers a browser or an attacker's page would.
@Suite("Web app: security rules", .timeLimit(.minutes(1)))
struct WebSecurityTests {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// One request: `headers` as given (Host, Origin, Cookie…), nothing followed. curl runs
    /// off the concurrency pool (``offThePool(_:)``): the node it asks may run in this process.
    static func curl(
        _ url: String, method: String = "GET", headers: [String] = [], body: String? = nil
    ) async throws
        -> Answer
    {
        let arguments =
            // `-k`: the node's own certificate beyond loopback (the tests that check it pin it).
            ["curl", "-s", "-k", "-g", "-X", method, "-D", "-", "-o", "-"] + headers.flatMap { ["-H", $0] }
            + (body.map { ["--data-raw", $0] } ?? []) + [url]
        let result = try await offThePool { try Spawn.run("/usr/bin/env", arguments) }
        let parts = result.stdout.components(separatedBy: "\r\n\r\n")
        let head = parts.first?.components(separatedBy: "\r\n") ?? []
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var fields: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: fields, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// A node with its web app on a free port of `host`; its base URL. Creates the
    /// identity (named `name`) unless `home` has one.
    static func start(
        _ home: String, name: String = "Alice", network: InMemoryNetwork = InMemoryNetwork(),
        password: String? = nil, host: String = "127.0.0.1", arrivalClock: ArrivalClock = .system
    ) async throws
        -> (Node, Task<Void, any Error>, String)
    {
        if (try? NodeIdentity.load(from: NodeHome(path: home))) == nil {
            _ = try NodeIdentity.create(in: NodeHome(path: home), name: name)
        }
        var configuration = NodeConfiguration()
        configuration.listen = PeerAddress(host: "127.0.0.1", port: 0)
        configuration.discovery = InMemoryDiscovery(network: network)
        configuration.radarProbeInterval = .milliseconds(200)
        configuration.arrivalClock = arrivalClock
        let node = try Node(home: NodeHome(path: home), configuration: configuration)
        let access = WebAccess(
            authority: "\(host):0", password: password,
            cookieName: WebAccess.cookieName(forNode: node.identity.nodeID.description))
        let web = WebConfiguration(host: host, port: 0, fallBackToAnyPort: false)
        let task = Task { try await node.runServing(web: web, access: access) }
        _ = await access.listeningAuthority()
        _ = try await node.listeningAddress()
        return (node, task, await access.baseURL)
    }

    /// A logged-in browser's credentials: the session cookie (`name=value`) and the proof
    /// the page got in the fragment of the address it was sent to.
    struct Login {
        var cookie: String
        var proof: String
        /// What the page sends with each `/v1` call.
        var headers: [String] { ["Cookie: " + cookie, "X-WeMeet-Proof: " + proof] }
    }

    /// Follows a one-time login link as a browser would: the cookie it sets and the proof
    /// in the fragment it sends the page to.
    static func logIn(_ home: String) async throws -> Login {
        try logIn(try await curl(try await loginURL(home)))
    }

    /// The credentials in a successful login's answer.
    static func logIn(_ answer: Answer) throws -> Login {
        let cookie = try #require(answer.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let location = try #require(answer.headers["location"])
        let proof = try #require(
            location.split(separator: "#").last?.split(separator: "&").first { $0.hasPrefix("proof=") }?.dropFirst(6))
        return Login(cookie: cookie, proof: String(proof))
    }

    /// `POST /v1/web/login` over the control socket: a one-time login URL.
    static func loginURL(_ home: String) async throws -> String {
        let app: WebApp = try await ControlClient(home: NodeHome(path: home)).post(
            "/v1/web/login", json: [String: String]())
        return try #require(app.login)
    }

    @Test func withoutACookieOnlyTheLoginPageIsServedAndATokenWorksOnce() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let (_, task, base) = try await Self.start(home.path)
        defer { task.cancel() }
        let page = try await Self.curl(base + "/")
        #expect(page.status == 303 && page.headers["location"] == "/login", "\(page.status) \(page.headers)")
        let api = try await Self.curl(base + "/v1/status")
        #expect(api.status == 401 && api.body.contains("wemeet open"), "\(api.status) \(api.body)")
        #expect(!api.body.contains("Alice"))
        let loginPage = try await Self.curl(base + "/login")
        #expect(loginPage.status == 200 && loginPage.body.contains("wemeet open"), "\(loginPage.status)")
        #expect(try await Self.curl(base + "/login?token=" + String(repeating: "0", count: 64)).status == 403)

        let url = try await Self.loginURL(home.path)
        #expect(url.hasPrefix(base + "/login?token="))
        let first = try await Self.curl(url)
        #expect(first.status == 303 && first.headers["location"]?.hasPrefix("/#proof=") == true, "\(first.status)")
        let cookie = try #require(first.headers["set-cookie"])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "\(cookie)")
        let login = try Self.logIn(first)
        let again = try await Self.curl(url)
        #expect(again.status == 403 && again.body.contains("used already"), "\(again.status)")
        #expect(again.headers["set-cookie"] == nil)

        let status = try await Self.curl(base + "/v1/status", headers: login.headers)
        #expect(status.status == 200 && status.body.contains("\"name\""), "\(status.status) \(status.body)")
        let app = try await Self.curl(base + "/", headers: ["Cookie: " + login.cookie])
        #expect(app.status == 200 && app.body.contains("<title>WeMeet</title>"))
        let script = try await Self.curl(base + "/assets/app.js", headers: ["Cookie: " + login.cookie])
        #expect(script.status == 200 && script.headers["content-type"]?.hasPrefix("text/javascript") == true)
        // A strict policy and no CORS on every answer.
        for answer in [page, api, loginPage, first, status, app] {
            #expect(answer.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            #expect(answer.headers["content-security-policy"]?.contains("script-src \(base)/assets/;") == true)
            #expect(answer.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true)
            #expect(answer.headers["access-control-allow-origin"] == nil)
        }
        #expect(try await Self.curl(base + "/v1/status", headers: ["Cookie: wemeet_session=forged"]).status == 401)
        // The cookie without its proof, or with another's, opens nothing.
        #expect(try await Self.curl(base + "/v1/status", headers: ["Cookie: " + login.cookie]).status == 401)
        let wrongProof = ["Cookie: " + login.cookie, "X-WeMeet-Proof: " + String(repeating: "0", count: 64)]
        #expect(try await Self.curl(base + "/v1/status", headers: wrongProof).status == 401)
        #expect(
            try await Self.curl(base + "/v1/status?proof=" + login.proof, headers: ["Cookie: " + login.cookie]).status
                == 200)
        // Garbage, truncated and oversized logins are refused; the app keeps answering.
        for token in ["", "%00", String(repeating: "f", count: 5000), String(url.suffix(64).dropLast()), "a%20b"] {
            let answer = try await Self.curl(base + "/login?token=" + token)
            #expect(answer.status == 403 || answer.status == 200, "\(token.prefix(8)): \(answer.status)")
            #expect(answer.headers["set-cookie"] == nil)
        }
        let huge = try await Self.curl(
            base + "/login", method: "POST", headers: ["Origin: " + base],
            body: "password=" + String(repeating: "x", count: 100_000))
        #expect(huge.status >= 400 && huge.status < 500 && huge.headers["set-cookie"] == nil, "\(huge.status)")
        #expect(try await Self.curl(base + "/v1/status", headers: login.headers).status == 200)
    }

    @Test func aWrongHostHeaderAndACrossOriginPostAreRefused() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let (node, task, base) = try await Self.start(home.path)
        defer { task.cancel() }
        let login = try await Self.logIn(home.path)
        let authority = String(base.dropFirst("http://".count))
        let port = authority.split(separator: ":").last ?? ""
        // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1.
        for host in ["evil.example", "evil.example:\(port)", "127.0.0.1.evil.example:\(port)", ""] {
            let answer = try await Self.curl(base + "/v1/status", headers: ["Host: \(host)"] + login.headers)
            #expect(answer.status == 403 && answer.body.contains("wrong Host"), "\(host): \(answer.status)")
        }
        #expect(
            try await Self.curl(base + "/v1/status", headers: ["Host: localhost:\(port)"] + login.headers).status
                == 200
        )
        // A state change from another origin, or with no origin at all, changes nothing.
        let post = login.headers + ["Content-Type: application/json"]
        for origin in ["Origin: http://evil.example", "Origin: null", "Origin: http://127.0.0.1:1", nil] {
            let answer = try await Self.curl(
                base + "/v1/moments", method: "POST", headers: post + [origin].compactMap { $0 },
                body: #"{"text":"hacked"}"#)
            #expect(answer.status == 403 && answer.body.contains("Origin"), "\(origin ?? "none"): \(answer.status)")
        }
        #expect(try await node.moments().isEmpty)
        let honest = try await Self.curl(
            base + "/v1/moments", method: "POST", headers: post + ["Origin: " + base], body: #"{"text":"sunny"}"#)
        #expect(honest.status == 201, "\(honest.status) \(honest.body)")
        #expect(try await node.moments().map(\.text) == ["sunny"])
    }

    @Test func sessionsOutliveARestartAndTheirFileHoldsNoCookie() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let file = home.path + "/web-sessions"
        let first = WebAccess(authority: "127.0.0.1:1", sessionFile: file)
        let token = try #require(await first.loginURL().split(separator: "=").last.map(String.init))
        guard case .session(let session) = await first.login(token: token, password: nil) else {
            Issue.record("the token did not log in")
            return
        }
        let again = WebAccess(authority: "127.0.0.1:1", sessionFile: file)
        #expect(await again.isSession(session.cookie, proof: session.proof))
        #expect(await !again.isSession(session.cookie, proof: String(repeating: "0", count: 64)))
        #expect(await !again.isSession(String(repeating: "0", count: 64)))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains(session.cookie) && !text.contains(session.proof))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// A garbage or foreign `web-sessions` file logs nobody in, and the next login writes a
    /// file of digests only.
    @Test(arguments: [
        Array("not a digest\n\(String(repeating: "g", count: 64))\n\u{1B}[2J\n".utf8),
        [0xFF, 0xFE, 0x00, 0x80, 0x0A] + Array(repeating: 0x41, count: 5000),
        Array(String(repeating: "0", count: 63).utf8),
    ])
    func aGarbageSessionsFileLogsNobodyInAndIsReplaced(garbage: [UInt8]) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let file = home.path + "/web-sessions"
        try Data(garbage).write(to: URL(fileURLWithPath: file))
        let access = WebAccess(authority: "127.0.0.1:1", sessionFile: file)
        for guess in ["", "not a digest", String(repeating: "0", count: 63), String(repeating: "g", count: 64)] {
            #expect(await !access.isSession(guess))
        }
        let token = try #require(await access.loginURL().split(separator: "=").last.map(String.init))
        guard case .session(let session) = await access.login(token: token, password: nil) else {
            Issue.record("the token did not log in")
            return
        }
        #expect(await access.isSession(session.cookie, proof: session.proof))
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(
            lines.count == 1
                && lines.allSatisfy {
                    $0.split(separator: " ").map(\.count) == [64, 64] && $0.allSatisfy { $0.isHexDigit || $0 == " " }
                }, "\(lines)")
        #expect(
            await WebAccess(authority: "127.0.0.1:1", sessionFile: file).isSession(session.cookie, proof: session.proof)
        )
    }

    @Test func beyondLoopbackTheAppIsHTTPSOnlyAndThePasswordSetInTheAppLogsIn() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let (_, task, base) = try await Self.start(home.path, password: "correct horse", host: "0.0.0.0")
        defer { task.cancel() }
        #expect(base.hasPrefix("https://"), "\(base)")
        // Plain HTTP to the same port gets no page.
        let plain = try await Self.curl(base.replacingOccurrences(of: "https://", with: "http://") + "/login")
        #expect(plain.status == 0 || plain.status == 400, "plain HTTP answered \(plain.status)")
        // The certificate is the node's own, kept in its home: the same after a restart.
        let certificate = try String(contentsOfFile: NodeHome(path: home.path).webCertificatePath, encoding: .utf8)
        #expect(certificate.contains("BEGIN CERTIFICATE"))
        let key = try FileManager.default.attributesOfItem(atPath: NodeHome(path: home.path).webKeyPath)
        #expect((key[.posixPermissions] as? Int) == 0o600)
        let page = try await Self.curl(base + "/login")
        #expect(page.body.contains("type=\"password\""), "\(page.body)")
        let origin = "Origin: " + base
        // An Origin with the wrong scheme is another site.
        let http = try await Self.curl(
            base + "/login", method: "POST",
            headers: ["Origin: " + base.replacingOccurrences(of: "https", with: "http")],
            body: "password=correct+horse")
        #expect(http.status == 403)
        let wrong = try await Self.curl(base + "/login", method: "POST", headers: [origin], body: "password=horse")
        #expect(wrong.status == 401 && wrong.headers["set-cookie"] == nil)
        let right = try await Self.curl(
            base + "/login", method: "POST", headers: [origin], body: "password=correct+horse")
        #expect(right.status == 303 && right.headers["set-cookie"]?.contains("HttpOnly") == true, "\(right.status)")
        #expect(right.headers["set-cookie"]?.contains("Secure") == true)
        // A browser elsewhere on the LAN names one of this machine's addresses: answered; a
        // name that is not one of them still is not.
        let port = base.split(separator: ":").last.map(String.init) ?? ""
        let addresses = WebServer.interfaceAddresses().filter { $0 != "127.0.0.1" && !$0.hasPrefix("[::1]") }
        for address in addresses.prefix(2) {
            let answer = try await Self.curl(base + "/login", headers: ["Host: \(address):\(port)"])
            #expect(answer.status == 200, "Host \(address):\(port) got \(answer.status)")
        }
        #expect(try await Self.curl(base + "/login", headers: ["Host: 10.254.254.254:\(port)"]).status == 403)
    }
}
