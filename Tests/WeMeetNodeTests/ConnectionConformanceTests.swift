import Foundation
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetTestSupport

@testable import WeMeetNode

/// Wire-level checks of how a node refuses and ends channels (Protocol.md §4.7, §6.5;
/// conformance issue, points 2 and 22), played through the hostile-peer harness.
@Suite("Connection conformance (wire level)", .timeLimit(.minutes(1)))
struct ConnectionConformanceTests {
    /// A blocked node is told "blocked" (code 6) every time, never "already connected" (5),
    /// even though it was never connected (point 2: the two refusals used to race).
    @Test func aBlockedNodeAlwaysGetsCloseCode6() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let alice = try await RunningNode.start(home: home.path, name: "Alice")
        let mallory = Ed25519.PrivateKey()
        try await alice.node.block(NodeID(publicKey: mallory.publicKey).description)
        for _ in 0..<8 {
            let peer = try await HostilePeer.connect(port: alice.port, key: mallory, name: "Mallory")
            let reason = await peer.waitUntilClosed()
            #expect(await peer.closeCode == .notAuthorised, "\(reason ?? "open")")
        }
        await alice.stop()
    }
}
