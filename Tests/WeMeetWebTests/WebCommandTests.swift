import Foundation
import Testing
import WeMeetModel
import WeMeetProcess
import WeMeetTestSupport

/// `wemeet node --web/--no-web`, `wemeet open` and the web line of
/// `wemeet status`, with the real executable.
@Suite("wemeet open and the web app's flags", .timeLimit(.minutes(1)))
struct WebCommandTests {
    @Test func openPrintsAOneTimeLinkThatLogsABrowserInAndStatusShowsTheApp() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        _ = try wemeet("init", "--name", "Alice", "--home", home.path)
        let node = try ChildProcess(
            label: "Alice", executable: try wemeetExecutable(),
            arguments: ["node", "--home", home.path, "--listen", "127.0.0.1:0", "--no-mdns", "--web", "127.0.0.1:0"])
        defer { node.stop() }
        try node.awaitLine(containing: "web app running")
        let status = try wemeet("status", "--home", home.path)
        #expect(status.stdout.contains("web app: http://127.0.0.1:"), "\(status.stdout)")
        let statusJSON = try wemeet("status", "--json", "--home", home.path)
        let decoded = try ControlJSON.decoder.decode(NodeStatus.self, from: Data(statusJSON.stdout.utf8))
        #expect(decoded.web?.hasPrefix("http://127.0.0.1:") == true, "\(statusJSON.stdout)")
        let open = try wemeet("open", "--print-only", "--home", home.path)
        #expect(open.status == 0, "\(open.stderr)")
        let link = open.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(link.hasPrefix("http://127.0.0.1:") && link.contains("/login?token="), "\(link)")
        let first = try await WebSecurityTests.curl(link)
        #expect(first.status == 303 && first.headers["set-cookie"]?.contains("HttpOnly") == true)
        #expect(try await WebSecurityTests.curl(link).status == 403)
        let json = try wemeet("open", "--json", "--home", home.path)
        let app = try ControlJSON.decoder.decode(WebApp.self, from: Data(json.stdout.utf8))
        #expect(app.login?.contains("token=") == true && app.url.map(link.hasPrefix) == true)
        // A phone cannot reach a loopback app: `--lan` says how to serve the LAN.
        let lan = try wemeet("open", "--lan", "--home", home.path)
        #expect(lan.status != 0 && lan.stderr.contains("--web 0.0.0.0:7790"), "\(lan.stderr)")
    }

    /// The page and every module it imports, served by a copy of `wemeet` far from the source
    /// tree: the binary carries the app's files (embedded at build time).
    @Test func aCopiedBinaryServesThePageAndEveryModuleItImports() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let elsewhere = try TemporaryDirectory()
        defer { elsewhere.remove() }
        let copy = "\(elsewhere.path)/wemeet"
        try FileManager.default.copyItem(atPath: try wemeetExecutable(), toPath: copy)
        _ = try wemeet("init", "--name", "Alice", "--home", home.path)
        let node = try ChildProcess(
            label: "Alice", executable: copy,
            arguments: ["node", "--home", home.path, "--listen", "127.0.0.1:0", "--no-mdns", "--web", "127.0.0.1:0"])
        defer { node.stop() }
        try node.awaitLine(containing: "web app running")
        let link = try wemeet("open", "--print-only", "--home", home.path).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let login = try await WebSecurityTests.curl(link)
        let cookie = try #require(login.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let loginPath = try #require(link.range(of: "/login"))
        let origin = String(link[..<loginPath.lowerBound])
        let page = try await WebSecurityTests.curl(origin + "/", headers: ["Cookie: \(cookie)"])
        #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
        // Follow every reference: the page's stylesheet and script, each module's imports.
        var toFetch = Self.assetReferences(in: page.body)
        var fetched: Set<String> = []
        while let path = toFetch.popLast() {
            guard fetched.insert(path).inserted else { continue }
            let answer = try await WebSecurityTests.curl(origin + path, headers: ["Cookie: \(cookie)"])
            let type = path.hasSuffix(".js") ? "text/javascript" : "text/css"
            #expect(answer.status == 200 && answer.headers["content-type"]?.hasPrefix(type) == true, "\(path)")
            toFetch += Self.assetReferences(in: answer.body)
        }
        #expect(fetched.contains("/assets/app.css") && fetched.contains("/assets/chats.js"), "\(fetched)")
        #expect(fetched.count >= 10, "\(fetched.sorted())")
    }

    /// The `/assets/…` paths a page (`src=`, `href=`) or a module (`from`, `import`) refers to.
    static func assetReferences(in text: String) -> [String] {
        let reference = /(?:src=|href=|from |import )"(\/assets\/[^"]+)"/
        return text.matches(of: reference).map { String($0.1) }
    }

    @Test func noWebMeansNoApp() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        _ = try wemeet("init", "--name", "Alice", "--home", home.path)
        let both = try wemeet("node", "--home", home.path, "--no-web", "--web", "127.0.0.1:0")
        #expect(both.status != 0 && both.stderr.contains("contradict"), "\(both.stderr)")
        let node = try ChildProcess(
            label: "Alice", executable: try wemeetExecutable(),
            arguments: ["node", "--home", home.path, "--listen", "127.0.0.1:0", "--no-mdns", "--no-web"])
        defer { node.stop() }
        try node.awaitLine(containing: "listening on socket path")
        #expect(try wemeet("status", "--home", home.path).stdout.contains("web app: off"))
        let open = try wemeet("open", "--home", home.path)
        #expect(open.status != 0 && open.stderr.contains("--no-web"), "\(open.stderr)")
    }
}
