import Foundation
import Testing
import WeMeetControl
import WeMeetDiscovery
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetTestSupport

@testable import WeMeetWeb

/// The web app in a real browser: Debian's chromium driven by Playwright
/// (`Tests/Browser/*.py`, installed by `scripts/setup`). Screenshots go to
/// `.build/web-screenshots/`.
@Suite("Web app in a browser", .timeLimit(.minutes(3)))
struct BrowserTests {
    static var screenshots: String {
        let path = SimulatedLAN.repositoryRoot.appendingPathComponent(".build/web-screenshots").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func namesWithMarkupAreShownAsTextAfterLoggingInWithTheLink() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let own = "Alice <img src=x onerror=alert(1)>"
        let friend = "<b>Bob</b><script>alert(2)</script>"
        let homes = [root.path + "/alice", root.path + "/bob"]
        try await makeFriends(homes, names: [own, friend])
        let (_, task, _) = try await WebSecurityTests.start(homes[0])
        defer { task.cancel() }
        let login = try await WebSecurityTests.loginURL(homes[0])
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/home_page.py").path
        let result = try await Self.run("/usr/bin/env", ["python3", script, login, own, friend, Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    @Test func twoPeopleHoldPairTogetherInTheirBrowsersBecomeFriendsAndChatLive() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let network = InMemoryNetwork()
        var logins: [String] = []
        var tasks: [Task<Void, any Error>] = []
        defer { for task in tasks { task.cancel() } }
        for name in ["Alice", "Bob"] {
            let home = root.path + "/" + name
            let (_, task, _) = try await WebSecurityTests.start(home, name: name, network: network)
            tasks.append(task)
            logins.append(try await WebSecurityTests.loginURL(home))
        }
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/hold_to_pair.py").path
        let result = try await Self.run(
            "/usr/bin/env", ["python3", script, logins[0], "Alice", logins[1], "Bob", Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    @Test func friendsSharePhotosVoiceNotesGroupsDiscoverAndTheHideSettingInTheirBrowsers() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let homes = [root.path + "/alice", root.path + "/bob"]
        try await makeFriends(homes, names: ["Alice", "Bob"])
        let network = InMemoryNetwork()
        var logins: [String] = []
        var tasks: [Task<Void, any Error>] = []
        defer { for task in tasks { task.cancel() } }
        for home in homes {
            let (_, task, _) = try await WebSecurityTests.start(home, network: network)
            tasks.append(task)
            logins.append(try await WebSecurityTests.loginURL(home))
        }
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/groups_and_media.py").path
        let result = try await Self.run(
            "/usr/bin/env", ["python3", script, logins[0], "Alice", logins[1], "Bob", Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    @Test func thePageSaysWhenTheNodeStopsAndReconnectsByItselfWhenItReturns() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        _ = try wemeet("init", "--name", "Reconnecting Node", "--home", home.path)
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/reconnect.py").path
        let result = try await Self.run(
            "/usr/bin/env", ["python3", script, try wemeetExecutable(), home.path, Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    /// Runs a child process on a thread of its own (the node it drives runs in this process).
    static func run(_ executable: String, _ arguments: [String]) async throws -> Spawn.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try Spawn.run(executable, arguments) }) }
        }
    }
}
