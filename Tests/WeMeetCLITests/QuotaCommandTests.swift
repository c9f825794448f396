import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

/// `wemeet settings quota` and what `wemeet settings` shows (Protocol.md §8.4).
@Suite("wemeet settings quota", .timeLimit(.minutes(1)))
struct QuotaCommandTests {
    @Test func quotasAreShownSetAndCheckedFromTheCommandLine() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        _ = try NodeIdentity.create(in: NodeHome(path: home.path), name: "Alice")
        let (node, task, _) = try await HostileTextTests.start(
            home: home.path, discovery: InMemoryNetwork(), controlAPI: true)
        let shown = try await HostileTextTests.run(["settings", "--home", home.path])
        #expect(shown.stdout.contains("quota unreadable_bytes: 1 MiB"), "\(shown.stdout)")
        #expect(shown.stdout.contains("quota total_bytes: 8 GiB"), "\(shown.stdout)")
        let set = try await HostileTextTests.run(["settings", "quota", "unreadable_bytes", "2MiB", "--home", home.path])
        #expect(set.status == 0 && set.stdout.contains("quota unreadable_bytes: 2 MiB"), "\(set.stdout)\(set.stderr)")
        #expect(try await node.quotas().unreadableBytes == 2 << 20)
        let badName = try await HostileTextTests.run(["settings", "quota", "everything", "1", "--home", home.path])
        #expect(badName.status != 0 && badName.stderr.contains("no quota called everything"), "\(badName.stderr)")
        let badValue = try await HostileTextTests.run([
            "settings", "quota", "author_bytes", "lots", "--home", home.path,
        ])
        #expect(badValue.status != 0 && badValue.stderr.contains("not a size"), "\(badValue.stderr)")
        let status = try await HostileTextTests.run(["status", "--home", home.path])
        #expect(status.stdout.contains("storage: others' entries use 0 bytes of 8 GiB, in 0 feeds"), "\(status.stdout)")
        await HostileTextTests.stop(task)
    }
}
