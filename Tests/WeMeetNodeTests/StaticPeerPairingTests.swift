import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Conformance issue, node bug 1: two nodes without discovery, one dialling the other as a
/// static peer (`--no-mdns --peer`), pair when both press: a press reaches every node it has
/// a channel to.
@Suite("Pairing over static peers", .stopsNodes, .timeLimit(.minutes(1)))
struct StaticPeerPairingTests {
    @Test func twoNodesOnStaticPeersPairWhenBothPress() async throws {
        let homes = try (0..<2).map { _ in try TemporaryDirectory() }
        defer { for home in homes { home.remove() } }
        let alice = try await RunningNode.start(home: homes[0].path, name: "Alice")
        let bob = try await RunningNode.start(home: homes[1].path, name: "Bob", peers: [alice.port])
        try await RunningNode.waitUntil(alice, bob) { a, b in a.peers.count == 1 && b.peers.count == 1 }
        async let a = RunningNode.press(alice)
        async let b = RunningNode.press(bob)
        let (ea, eb) = try await (a, b)
        #expect(ea.type == .pairPaired && eb.type == .pairPaired, "\(ea) \(eb)")
        #expect(ea.code == eb.code)
        #expect(try await alice.node.friends().map(\.name) == ["Bob"])
        // The press did not open the channel, so it stays (a --peer connection is kept).
        #expect(await bob.node.status().peers.count == 1)
        await alice.stop()
        await bob.stop()
    }
}
