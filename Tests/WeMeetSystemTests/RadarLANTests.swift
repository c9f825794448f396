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
import WeMeetSync
import WeMeetTestSupport

/// The radar on a simulated LAN: real `wemeet node` processes, one real avahi-daemon per host.
@Suite("Radar on a simulated LAN", .timeLimit(.minutes(3)))
struct RadarLANTests {
    @Test func nodesAppearLeaveCrashAndComeBack() async throws {
        let lan = try SimulatedLAN(hosts: 3)
        let homes = try ["Alice", "Bob", "Carol"].map { try lan.makeHome($0) }
        let ids = try homes.map(nodeID)
        var nodes = try zip(["h1", "h2", "h3"], homes).map { try lan.startNode(on: $0, home: $1) }
        defer { for node in nodes { node.stop() } }

        // Each sees the other two, by node ID, and never itself.
        try awaitEveryoneSeesEveryone(nodes, ids: ids)
        for (index, home) in homes.enumerated() {
            let snapshot = try radar(home)
            #expect(snapshot.discovery == .active)
            #expect(
                Set(snapshot.nearby.map(\.nodeID)) == Set(ids.enumerated().filter { $0.offset != index }.map(\.element))
            )
            #expect(snapshot.advertisedAs?.hasPrefix(["Alice", "Bob", "Carol"][index] + " (") == true)
        }
        let carolSeenByAlice = try #require(try radar(homes[0]).nearby.first { $0.nodeID == ids[2] })
        #expect(carolSeenByAlice.name == "Carol")
        #expect(carolSeenByAlice.addresses.first == (try lan.ip("h3")))
        #expect(carolSeenByAlice.port == 7700)
        #expect(!carolSeenByAlice.friend && !carolSeenByAlice.connected)

        // A clean stop: goodbye packets, gone at once.
        nodes[2].stop()
        for node in nodes[0...1] { try node.awaitLine(containing: "nearby node gone", "peer=\(ids[2])", "reason=left") }
        #expect(!(try radar(homes[0])).nearby.contains { $0.nodeID == ids[2] })

        // Started later: appears.
        nodes[2] = try lan.startNode(on: "h3", home: homes[2])
        for node in nodes[0...1] { try node.awaitLine(containing: "nearby node appeared", "peer=\(ids[2])") }
        #expect((try radar(homes[1])).nearby.contains { $0.nodeID == ids[2] })

        // Carol renames herself: the others' radars show her new name (the old instance is
        // withdrawn, the new one advertised), under the same node ID.
        let renamed = try wemeet("name", "Caroline", "--home", homes[2])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        for node in nodes[0...1] {
            try node.awaitLine("Carol's new name") { line in
                line.contains("peer=\(ids[2])") && line.contains("name=Caroline")
                    && (line.contains("nearby node appeared") || line.contains("nearby node changed"))
            }
        }
        #expect(try radar(homes[0]).nearby.filter { $0.nodeID == ids[2] }.map(\.name) == ["Caroline"])

        // Carol's host crashes: kill -9 the node and its avahi-daemon, so no goodbye is sent.
        // Alice looks at her radar (Protocol.md §5.4): her checks mark Carol gone within 30 s.
        // Bob does not look: his node sends strangers no checks, and lists Carol until he looks.
        let look: RadarWatch = try await ControlClient(home: NodeHome(path: homes[0])).post(
            "/v1/radar/watch", json: [String: String]())
        #expect(look.seconds == 60)
        let crash = ContinuousClock.now
        try lan.run("avahi", "h3", "kill")
        nodes[2].stop(signal: SIGKILL)
        // (By its reason: the rename above may have logged a "gone … reason=left" already, when
        // Alice's daemon reported the old name's withdrawal before the new name.)
        try nodes[0].awaitLine(
            containing: "nearby node gone", "peer=\(ids[2])", "reason=unreachable", timeout: .seconds(40))
        let elapsed = ContinuousClock.now - crash
        #expect(elapsed < .seconds(30), "a crashed node must be marked gone within 30 s, took \(elapsed)")
        #expect(!(try radar(homes[0])).nearby.contains { $0.nodeID == ids[2] })
        #expect(try radar(homes[1]).nearby.contains { $0.nodeID == ids[2] })
        let bobLooks = ContinuousClock.now
        let _: RadarWatch = try await ControlClient(home: NodeHome(path: homes[1])).post(
            "/v1/radar/watch", json: [String: String]())
        try nodes[1].awaitLine(
            containing: "nearby node gone", "peer=\(ids[2])", "reason=unreachable", timeout: .seconds(40))
        let bobTook = ContinuousClock.now - bobLooks
        print("radar on a LAN: a crashed stranger left Bob's radar \(bobTook) after he looked")
    }

    @Test func sameNamesNoDaemonAndRecovery() throws {
        let lan = try SimulatedLAN(hosts: 2)
        // Two nodes on one host asking for the same name: both stay visible.
        let danas = try (0..<2).map { _ in try lan.makeHome("Dana") }
        let danaIDs = try danas.map(nodeID)
        let observerHome = try lan.makeHome("Eve")
        let observer = try lan.startNode(on: "h2", home: observerHome)
        defer { observer.stop() }
        let dana1 = try lan.startNode(on: "h1", home: danas[0], ["--listen", "0.0.0.0:7701"])
        defer { dana1.stop() }
        let dana2 = try lan.startNode(on: "h1", home: danas[1], ["--listen", "0.0.0.0:7702"])
        defer { dana2.stop() }
        for id in danaIDs { try observer.awaitLine(containing: "nearby node appeared", "peer=\(id)") }
        let seen = try radar(observerHome).nearby.filter { $0.name == "Dana" }
        #expect(Set(seen.map(\.nodeID)) == Set(danaIDs))
        #expect(Set(seen.map(\.port)) == [7701, 7702])
        #expect(Set(seen.flatMap(\.instances)).count == 2)

        // The daemon goes away: the node keeps running, says why once, and recovers.
        try lan.run("avahi", "h2", "stop")
        try observer.awaitLine(containing: "local discovery unavailable", "avahi-daemon")
        let down = try wemeet("status", "--json", "--home", observerHome)
        #expect(down.stdout.contains("\"discovery\" : \"unavailable\""))
        try lan.run("avahi", "h2", "start")
        try observer.awaitLine(containing: "local discovery (mDNS) is back")
        #expect(Set(try radar(observerHome).nearby.map(\.nodeID)) == Set(danaIDs))
        #expect(observer.log.filter { $0.contains("local discovery unavailable") }.count == 1)

        // --no-mdns: discovery disabled, nothing advertised.
        let quiet = try lan.startNode(
            on: "h2", home: try lan.makeHome("Quiet"), ["--no-mdns", "--listen", "0.0.0.0:7703"])
        defer { quiet.stop() }
        try quiet.awaitLine(containing: "node running", "mdns=disabled")
    }
}
