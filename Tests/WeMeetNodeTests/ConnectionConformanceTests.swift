import Foundation
import Testing
import WeMeetChannel
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Wire-level checks of how a node refuses and ends channels (Protocol.md §4.7, §6.5;
/// conformance issue, points 2 and 22), played through the hostile-peer harness.
@Suite("Connection conformance (wire level)", .stopsNodes, .timeLimit(.minutes(1)))
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

    /// Point 22 (§6.5): unpairing sends UNPAIRED on the open channel first, then closes it
    /// with CLOSE code 0 and the reason "unpaired".
    @Test func unpairingSendsUnpairedThenClosesWithCode0() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let peer = try await HostilePeer.connect(port: alice.port, key: bobKey, name: "Bob")
        // The channel is open once Alice has it too (the handshake ends on her side later).
        try await alice.waitUntil { $0.peers.contains { $0.nodeID == bob.node.identity.nodeID } }
        _ = try await alice.node.unpair("Bob")
        let reason = await peer.waitUntilClosed()
        #expect(await peer.closeCode == .normal && reason?.contains("unpaired") == true, "\(reason ?? "open")")
        let unpaired = await peer.all.contains { if case .pairing(.unpaired) = $0 { true } else { false } }
        #expect(unpaired, "UNPAIRED arrived before the channel closed")
        await alice.stop()
    }

    /// A stopped node's port refuses connections (its listener is closed), so peers dialling
    /// it fail at once instead of waiting out a handshake timeout.
    @Test func aStoppedNodesPortRefusesConnections() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let alice = try await RunningNode.start(home: home.path, name: "Alice")
        let port = alice.port
        await alice.stop()
        await #expect(throws: (any Error).self) {
            _ = try await HostilePeer.connect(port: port, name: "Late")
        }
    }
}
