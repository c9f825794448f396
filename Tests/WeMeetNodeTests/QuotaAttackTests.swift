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
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Storage quotas against a friend that floods (Protocol.md §8.4; hostile-peers issue,
/// finding 3): validly signed direct messages Alice cannot decrypt, and one-entry feeds of
/// made-up public groups. Before the quotas, Alice stored all of it.
@Suite("Storage quotas (hostile peer)", .stopsNodes, .timeLimit(.minutes(2)))
struct QuotaAttackTests {
    /// Bytes of all files under `path`.
    static func diskUsage(_ path: String) -> Int {
        guard let files = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total = 0
        for case let file as String in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + file)
            if attributes?[.type] as? FileAttributeType == .typeRegular { total += (attributes?[.size] as? Int) ?? 0 }
        }
        return total
    }

    /// Presses on both nodes for each other.
    static func pair(_ a: RunningNode, _ b: RunningNode) async throws {
        async let x = RunningNode.press(a, target: b.nodeID.description)
        async let y = RunningNode.press(b, target: a.nodeID.description)
        let (ex, ey) = try await (x, y)
        try #require(ex.type == .pairPaired && ey.type == .pairPaired, "\(ex) \(ey)")
    }

    @Test func aFlooderIsRefusedPastItsQuotasWhileAnHonestFriendIsServed() async throws {
        let (nodes, homes) = try await RunningNode.start(["Alice", "Bob", "Mallory"], on: InMemoryNetwork())
        defer { for home in homes { home.remove() } }
        let (alice, bob, malloryNode) = (nodes[0], nodes[1], nodes[2])
        try await Self.pair(alice, bob)
        try await Self.pair(alice, malloryNode)
        let mallory = malloryNode.node.identity.privateKey
        await malloryNode.stop()
        let limits = try await alice.node.quotas()
        #expect(limits == .defaults)

        // 40 DMs of 64,000 random bytes (validly signed, not sealed for Alice: 2.5 MB) and one
        // entry in each of 100 made-up public groups.
        let alicePublic = alice.node.identity.nodeID.publicKey
        let dmFeed = Feed(author: mallory.publicKey, kind: .direct, audience: alicePublic.rawRepresentation)
        var previous = EntryID.zero
        var unreadable: [[UInt8]] = []
        for seq in 1...40 {
            let entry = try Entry(
                feed: dmFeed, seq: UInt64(seq), previous: previous, timestamp: 1_700_000_000_000,
                contentType: DirectMessages.contentType, payload: Random.bytes(count: 64_000), signedBy: mallory)
            previous = entry.id
            unreadable.append(entry.encoded)
        }
        let outsider = try (0..<100).map { _ in
            try Entry(
                feed: Feed(author: mallory.publicKey, kind: .group, audience: Random.bytes(count: 32)), seq: 1,
                previous: .zero, timestamp: 1_700_000_000_000, contentType: 0x0301,
                payload: Random.bytes(count: 1_000), signedBy: mallory
            ).encoded
        }

        let before = Self.diskUsage(homes[0].path)
        let quotaEvents = alice.node.events.subscribe()
        let peer = try await HostilePeer.connect(port: alice.port, key: mallory, name: "Mallory")
        // Bob keeps talking to Alice during the flood.
        let honest = Task {
            for i in 0..<20 { _ = try await bob.node.sendMessage(to: "Alice", text: "still here \(i)") }
        }
        // Batches within the ENTRIES limits (§8.2: at most 256 KiB of entries).
        var batches = stride(from: 0, to: unreadable.count, by: 4).map { Array(unreadable[$0..<min($0 + 4, 40)]) }
        batches += stride(from: 0, to: outsider.count, by: 25).map { Array(outsider[$0..<$0 + 25]) }
        for batch in batches { try await peer.send(SyncMessage.entries(batch)) }
        let sent = batches.joined().reduce(0) { $0 + $1.count }
        // Every byte is acknowledged (refused entries too: the node read them).
        let acknowledged = await peer.waitUntil { HostilePeer.acknowledged($0) >= sent }
        let closed = await peer.closedBecause
        #expect(acknowledged, "the node closed the channel: \(closed ?? "")")
        try await honest.value
        try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 20 }

        let grown = Self.diskUsage(homes[0].path) - before
        print("quota test: sent \(sent) bytes, the store grew by \(grown)")
        let quota = Int(limits.unreadableBytes + limits.outsiderBytes)
        // Log records add a few dozen bytes an entry, Bob's 20 messages and Alice's receipts a
        // few KB: 64 KiB of slack, far below one refused batch.
        #expect(grown <= quota + 65_536, "the store grew by \(grown) bytes; the quotas allow \(quota)")
        #expect(grown > 900_000, "the store grew by only \(grown) bytes: the quota should be used up to its limit")
        let rejects = await peer.all.compactMap { message -> String? in
            if case .sync(.reject(_, _, .quota, let text)) = message { return text }
            return nil
        }
        #expect(rejects.contains { $0.contains("unreadable_bytes") }, "\(rejects.prefix(3))")
        #expect(rejects.filter { $0.contains("outsider_feeds") }.count == 100 - limits.outsiderFeeds)
        // The user is told once per quota, and `status` lists it.
        var told: [String] = []
        for await event in quotaEvents where event.type == .syncQuota {
            told.append(event.detail ?? "")
            if told.count == 2 { break }
        }
        #expect(Set(told) == ["unreadable_bytes", "outsider_feeds"])
        let storage = try #require(await alice.node.status().storage)
        #expect(Set(storage.refusals.map(\.quota)) == ["unreadable_bytes", "outsider_feeds"])
        #expect(storage.refusals.allSatisfy { $0.nodeID == malloryNode.nodeID })
        // Nothing acknowledged was dropped: the first unreadable DMs are all still held.
        let kept = try await alice.node.feedHeads()[dmFeed.id] ?? 0
        #expect(kept >= 15 && kept < 40, "kept \(kept) of Mallory's DMs")
        await peer.close()
        await alice.stop()
        await bob.stop()
    }
}
