import Foundation
import Testing
import WeMeetModel
import WeMeetProcess
import WeMeetTestSupport

/// `wemeet node --web/--no-web/--web-password`, `wemeet open` and the web line of
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
    }

    @Test func noWebMeansNoAppAndBeyondLoopbackNeedsAPassword() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        _ = try wemeet("init", "--name", "Alice", "--home", home.path)
        let exposed = try wemeet("node", "--home", home.path, "--no-mdns", "--web", "0.0.0.0:0")
        #expect(exposed.status != 0 && exposed.stderr.contains("--web-password"), "\(exposed.stderr)")
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
