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

@Suite("several nodes on loopback", .stopsNodes, .timeLimit(.minutes(2)))
struct MultiNodeTests {
    /// Three nodes connected by static peers; one restarts; the others reconnect by themselves.
    @Test func threeNodesConnectAndSurviveARestart() async throws {
        let dirs = try (0..<3).map { _ in try TemporaryDirectory() }
        defer { for dir in dirs { dir.remove() } }
        var a = try await RunningNode.start(home: dirs[0].path, name: "A")
        let b = try await RunningNode.start(home: dirs[1].path, name: "B", peers: [a.port])
        let c = try await RunningNode.start(home: dirs[2].path, name: "C", peers: [a.port, b.port])
        let ids = [a.nodeID, b.nodeID, c.nodeID]
        for node in [a, b, c] {
            let others = Set(ids.filter { $0 != node.nodeID })
            try await node.waitUntil { Set($0.peers.map(\.nodeID)) == others }
        }
        // Restart A on the same port and home.
        let port = a.port
        await a.stop()
        try await b.waitUntil { !$0.peers.contains { $0.nodeID == ids[0] } }
        a = try await RunningNode.start(home: dirs[0].path, name: "A", port: port)
        for node in [b, c] {
            try await node.waitUntil { $0.peers.contains { $0.nodeID == ids[0] } }
        }
        try await a.waitUntil { Set($0.peers.map(\.nodeID)) == Set([ids[1], ids[2]]) }
        for node in [a, b, c] { await node.stop() }
    }

    /// Both nodes dial each other at the same instant, 100 times: each time they end up with
    /// exactly one connection, the same one on both sides.
    @Test func simultaneousDialsLeaveExactlyOneConnection() async throws {
        let dirs = try (0..<2).map { _ in try TemporaryDirectory() }
        defer { for dir in dirs { dir.remove() } }
        for _ in 0..<100 {
            let a = try await RunningNode.start(home: dirs[0].path, name: "A")
            let b = try await RunningNode.start(home: dirs[1].path, name: "B")
            async let dialA: Void = a.node.addStaticPeer(PeerAddress(host: "127.0.0.1", port: b.port))
            async let dialB: Void = b.node.addStaticPeer(PeerAddress(host: "127.0.0.1", port: a.port))
            _ = try await (dialA, dialB)
            // Settled: no dial in flight on either side, and each side holds one connection to
            // the other — the same session on both.
            try await RunningNode.waitUntil(a, b) { sa, sb in
                !(sa.dialing + sb.dialing).contains { $0.state == .connecting }
                    && sa.handshakesInProgress + sb.handshakesInProgress == 0 && sa.peers.count == 1
                    && sb.peers.count == 1 && sa.peers[0].session == sb.peers[0].session
            }
            let (sa, sb) = (await a.node.status(), await b.node.status())
            #expect(sa.peers.count == 1)
            #expect(sb.peers.count == 1)
            #expect(
                sa.peers.first?.session == sb.peers.first?.session,
                "A: \(sa.peers) \(sa.dialing)\nB: \(sb.peers) \(sb.dialing)")
            await a.stop()
            await b.stop()
        }
    }
}
