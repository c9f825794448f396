import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

@Suite("wemeet --help / --version")
struct HelpTests {
    @Test func helpListsThePlannedCommandGroups() throws {
        let result = try wemeet("--help")
        #expect(result.status == 0)
        for command in [
            "init", "id", "node", "status", "radar", "pair", "friends", "send", "chat", "messages", "inbox", "group",
            "post", "moments", "discover", "feed", "settings", "store", "export",
        ] {
            #expect(result.stdout.contains("\n  \(command) "), "missing \(command)")
        }
    }

    @Test func version() throws {
        let result = try wemeet("--version")
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    /// `ISO8601DateFormatter` died of SIGFPE on the last one; the CLI checks `--since` itself.
    @Test(arguments: [
        "yesterday", "2026-02-30T08:00:00Z", "-2-11-22T08:00:00.1239999999123999999999999999999999999999999Z1",
    ])
    func aMalformedSinceIsAClearError(since: String) throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let result = try wemeet("messages", "Bob", "--since=\(since)", "--home", home.path)
        #expect(result.status == 64, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("--since must be an ISO 8601 time"), "\(result.stderr)")
    }

    @Test func groupCommandsWithoutANodeSayHowToStartOne() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let result = try wemeet("moments", "post", "hello", "--home", home.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no node is running"), "\(result.stderr)")
    }
}
