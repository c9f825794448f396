import Foundation
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// Issue "relay" (stage `relay`): Alice writes 20 messages to Bob while he is away and
/// leaves; Carol, a friend of both, holds them. The time from Bob's node starting to his
/// having all of them (p50/p95 over the runs), the relay's bytes sent per byte of mail it
/// carried, and the process's memory growth with the three nodes.
enum RelayBenchmark {
    static func run(scale: Double) async throws -> [Figure] {
        let runs = scale < 1 ? 5 : 20
        let perRun = 20
        let residentBefore = StoreBenchmark.residentMegabytes()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wemeet-bench-relay-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let network = InMemoryNetwork()
        let homes = ["Alice", "Bob", "Carol"].map { root + "/" + $0 }
        var alice = try await BenchNode.start(home: homes[0], name: "Alice", network: network)
        var bob = try await BenchNode.start(home: homes[1], name: "Bob", network: network)
        let carol = try await BenchNode.start(home: homes[2], name: "Carol", network: network)
        try await RadarBenchmark.waitUntil("the nodes see each other", timeout: .seconds(60)) {
            for node in [alice, bob, carol] where await node.node.radar().nearby.count < 2 { return false }
            return true
        }
        try await MessageBenchmark.pressTogether(alice.node, bob.node)
        try await MessageBenchmark.pressTogether(alice.node, carol.node)
        try await MessageBenchmark.pressTogether(bob.node, carol.node)
        let (aliceID, bobID) = (alice.node.identity.nodeID, bob.node.identity.nodeID)
        try await RadarBenchmark.waitUntil("the friends told each other who they share", timeout: .seconds(30)) {
            let relays = await (try? alice.node.running().mutual)?.relays(carol.node.identity.nodeID, for: bobID)
            let vouched = await (try? carol.node.running().mutual)?.says(bobID, hasFriend: aliceID)
            return relays == true && vouched == true
        }
        var times: [Double] = []
        let carolSentBefore = await carol.node.status().bytesSent
        var peakHeld: UInt64 = 0
        let text = String(repeating: "m", count: 100)
        for run in 0..<runs {
            await bob.stop()
            try await RadarBenchmark.waitUntil("Bob is gone", timeout: .seconds(30)) {
                for node in [alice, carol] where await node.node.status().peers.contains(where: { $0.nodeID == bobID })
                {
                    return false
                }
                return true
            }
            for index in 0..<perRun { _ = try await alice.node.sendMessage(to: "Bob", text: "\(run).\(index) \(text)") }
            let total = (run + 1) * perRun
            try await RadarBenchmark.waitUntil("Carol holds Alice's mail", timeout: .seconds(60)) {
                let held = await carol.node.status().relay?.held ?? []
                return held.contains { $0.author == aliceID && $0.head >= UInt64(total) }
            }
            peakHeld = max(peakHeld, await carol.node.status().relay?.bytes ?? 0)
            await alice.stop()
            let start = ContinuousClock.now
            bob = try await BenchNode.start(home: homes[1], name: "Bob", network: network)
            try await RadarBenchmark.waitUntil("Bob has all his mail", timeout: .seconds(60)) {
                (try? await bob.node.messages(with: "Alice").count) == total
            }
            times.append((ContinuousClock.now - start).seconds * 1000)
            alice = try await BenchNode.start(home: homes[0], name: "Alice", network: network)
        }
        // The mail carried: the encodings of Alice's entries for Bob.
        let mail = Feed(author: aliceID.publicKey, kind: .direct, audience: bobID.publicKey.rawRepresentation)
        let entries = try await alice.node.running().store.entries(of: mail.id, seqs: 1...UInt64(runs * perRun))
        let mailBytes = entries.reduce(0) { $0 + $1.encoded.count }
        let carolSent = await carol.node.status().bytesSent - carolSentBefore
        let resident = StoreBenchmark.residentMegabytes() - residentBefore
        for node in [alice, bob, carol] { await node.stop() }
        let (friendsSmall, friendsLarge) = (50, 500)
        return [
            Figure(
                name: "relay: reader's start → all \(perRun) relayed messages, p50 (\(runs) runs)",
                value: RadarBenchmark.median(times), unit: "ms", lowerIsBetter: true),
            Figure(
                name: "relay: reader's start → all relayed messages, p95",
                value: RadarBenchmark.percentile(times, 0.95),
                unit: "ms", lowerIsBetter: true),
            Figure(
                name: "relay: relay's bytes sent per byte of mail carried (all its traffic)",
                value: Double(carolSent) / Double(max(1, mailBytes)), unit: "×", lowerIsBetter: true),
            Figure(
                name: "relay: mail held at most (\(perRun) messages of 100 B)", value: Double(peakHeld) / 1024,
                unit: "KiB", lowerIsBetter: true),
            Figure(
                name: "relay: resident memory growth, three nodes in one process", value: resident, unit: "MB",
                lowerIsBetter: true),
            Figure(
                name: "relay: FRIENDS work when one's friends change, \(friendsSmall) friends (all connected)",
                value: friendsChange(friendsSmall), unit: "ms", lowerIsBetter: true),
            Figure(
                name: "relay: FRIENDS work when one's friends change, \(friendsLarge) friends (10×)",
                value: friendsChange(friendsLarge), unit: "ms", lowerIsBetter: true),
        ]
    }

    /// What ``MutualFriends`` does when a node with `count` friends, all connected and all
    /// having told it theirs, gains or loses one (Protocol.md §8.5): match each friend's tags
    /// against ours (count² tags) and build each connected friend's FRIENDS (count² more).
    /// Grows with the square of one's friends, by design; a group's changes cost nothing.
    static func friendsChange(_ count: Int) -> Double {
        let ids = (0..<count).map { _ in NodeID(publicKey: Ed25519.PrivateKey().publicKey) }
        let own = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
        let start = ContinuousClock.now
        var matched = 0
        for peer in ids {
            let heard = Set(ids.map { FriendsMessage.tag(sender: peer, receiver: own, friend: $0) })
            for friend in ids where heard.contains(FriendsMessage.tag(sender: peer, receiver: own, friend: friend)) {
                matched += 1
            }
        }
        precondition(matched == count * count)
        return (ContinuousClock.now - start).seconds * 1000
    }
}
