import Foundation
import Testing
import WeMeetProcess
import WeMeetTestSupport

/// `scripts/demo` (seams issue, item 6): the three demo people's web apps open from this
/// machine's own browser, through the links the script prints.
@Suite("The demo in a browser", .timeLimit(.minutes(3)))
struct DemoTests {
    @Test func theDemosLinksOpenEachPersonsWebAppAndTwoOfThemPairAndChat() async throws {
        try #require(getuid() == 0, "the demo needs root for network namespaces (CI runs as root)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lan = "d" + String(String(UInt64.random(in: 0...UInt64.max), radix: 36).prefix(7))
        let environment = [
            "WEMEET_BIN": try wemeetExecutable(), "WEMEET_DEMO_DIR": directory.path, "WEMEET_LAN": lan,
            "WEMEET_DEMO_PORT": String(Int.random(in: 20_000...60_000)),
        ]
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("scripts/demo").path
        defer {
            _ = try? Spawn.run(
                script, ["stop"], environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        }
        let up = try await offThePool {
            try Spawn.run(script, [], environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        }
        #expect(up.status == 0, "\(up.stderr)")
        var links: [String: String] = [:]
        for line in up.stdout.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, ["Alice", "Bob", "Carol"].contains(words[0]), words[1].hasPrefix("http://127.0.0.1:") {
                links[String(words[0])] = String(words[1])
            }
        }
        #expect(links.count == 3, "\(up.stdout)")
        let alice = try #require(links["Alice"])
        let bob = try #require(links["Bob"])
        let shots = BrowserTests.screenshots + "/demo"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let pair = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/hold_to_pair.py").path
        let result = try await BrowserTests.run(
            "/usr/bin/env", ["python3", pair, alice, "Alice", bob, "Bob", shots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }
}
