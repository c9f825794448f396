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

/// The radar with an in-memory discovery: nodes in one process, no daemon.
@Suite("Radar (in-memory discovery)", .stopsNodes, .timeLimit(.minutes(1)))
struct RadarTests {
    @Test func nodesSeeEachOtherNotThemselvesAndForgetOnesThatLeave() async throws {
        let network = InMemoryNetwork()
        let homes = try (0..<3).map { _ in try TemporaryDirectory() }
        defer { for home in homes { home.remove() } }
        let nodes = try await withThrowingTaskGroup(of: RunningNode.self) { group in
            for (home, name) in zip(homes, ["Alice", "Bob", "Carol"]) {
                group.addTask { try await RunningNode.start(home: home.path, name: name, discovery: network) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }.sorted { $0.node.identity.name < $1.node.identity.name }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])

        try await alice.waitUntilRadar { $0.nearby.count == 2 }
        let snapshot = await alice.node.radar()
        #expect(snapshot.discovery == .active)
        #expect(snapshot.advertisedAs == "Alice (\(alice.node.identity.nodeID.shortForm))")
        #expect(Set(snapshot.nearby.map(\.nodeID)) == [bob.nodeID, carol.nodeID])
        #expect(snapshot.nearby.map(\.name) == ["Bob", "Carol"])
        #expect(snapshot.nearby.allSatisfy { $0.addresses == ["127.0.0.1"] && !$0.friend && !$0.connected })
        #expect((await alice.node.status()).nearby == 2)

        await carol.stop()
        try await alice.waitUntilRadar { $0.nearby.map(\.nodeID) == [bob.nodeID] }
        await bob.stop()
        try await alice.waitUntilRadar { $0.nearby.isEmpty }
        await alice.stop()
    }

    /// A stranger whose node stops answering is known by mDNS alone until someone looks at
    /// the radar (Protocol.md §5.4); then two failed checks mark it gone.
    @Test func aNodeThatStopsAnsweringIsMarkedGoneOnceSomeoneLooks() async throws {
        let network = InMemoryNetwork()
        let a = try TemporaryDirectory()
        let b = try TemporaryDirectory()
        defer {
            a.remove()
            b.remove()
        }
        let alice = try await RunningNode.start(home: a.path, name: "Alice", discovery: network)
        // Bob advertises a port nobody listens on: as if his host had crashed after announcing.
        let bob = InMemoryDiscovery(network: network)
        let bobID = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
        let record = NodeRecord(nodeID: bobID, protocolVersion: 1)
        _ = await bob.start(Advertisement(instanceName: "Bob", port: 1, record: record))
        try await alice.waitUntilRadar { $0.nearby.contains { $0.nodeID == bobID } }
        #expect(await alice.node.watchRadar().seconds == 60)
        try await alice.waitUntilRadar { !$0.nearby.contains { $0.nodeID == bobID } }
        await bob.stop()
        await alice.stop()
        _ = b
    }

    @Test func withoutMDNSTheRadarIsDisabled() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let node = try await RunningNode.start(home: home.path, name: "Solo")
        #expect(await node.node.radar().discovery == .disabled)
        #expect(await node.node.status().discovery == .disabled)
        await node.stop()
    }
}
