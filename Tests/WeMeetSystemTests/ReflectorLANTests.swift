import Foundation
import Testing
import WeMeetControl
import WeMeetModel
import WeMeetTestSupport

/// Two segments of one site (two floors, two subnets) joined by a host running avahi-daemon
/// with `enable-reflector=yes` that also routes between them: the radar and pairing work
/// across, with real `wemeet node` processes (README, "Across subnets").
@Suite("Radar and pairing through an avahi reflector", .timeLimit(.minutes(3)))
struct ReflectorLANTests {
    @Test func nodesOnTwoSegmentsSeeEachOtherPairAndTalkThroughTheReflector() async throws {
        let lan = try SimulatedLAN(hosts: 2, reflectorAfter: 1)
        let homes = try ["Alice", "Bob"].map { try lan.makeHome($0) }
        let ids = try homes.map(nodeID)
        #expect(try lan.ip("h1").hasPrefix("10.77.") && lan.ip("h2").hasPrefix("10.78."))
        let nodes = try zip(["h1", "h2"], homes).map { try lan.startNode(on: $0, home: $1) }
        defer { for node in nodes { node.stop() } }
        try awaitEveryoneSeesEveryone(nodes, ids: ids)
        // Each lists the other at its own segment's address, by node ID.
        let bobSeen = try #require(try radar(homes[0]).nearby.first { $0.nodeID == ids[1] })
        #expect(bobSeen.addresses.first == (try lan.ip("h2")))

        // They press together across the reflector, and talk.
        let alice = PairLANTests.press(homes[0], "--yes")
        try nodes[0].awaitLine(containing: "pairing: pressed")
        let bob = PairLANTests.press(homes[1], "--yes")
        let (a, b) = try await (alice.value, bob.value)
        #expect(a.status == 0 && a.stdout.contains("paired with Bob"), "\(a.stderr)")
        #expect(b.status == 0 && b.stdout.contains("paired with Alice"), "\(b.stderr)")
        try await awaitState(homes[1]) { client in
            let list: MessageList = try await client.get("/v1/messages/Alice")
            return list.messages.map(\.text) == ["hello from the first floor"]
        } action: {
            let sent = try wemeet("send", "Bob", "hello from the first floor", "--home", homes[0])
            #expect(sent.status == 0, "\(sent.stderr)")
        }
    }
}
