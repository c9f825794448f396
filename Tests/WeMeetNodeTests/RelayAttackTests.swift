import Foundation
import Testing
import WeMeetAttachments
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Relaying against hostile peers (Protocol.md §8.5): a friend of only one side deposits
/// nothing and is given nothing; a relay that lies — withholds, replays, reorders, alters,
/// claims what it never sends — costs the reader nothing but time.
@Suite("Relaying (hostile peer)", .stopsNodes, .timeLimit(.minutes(2)))
struct RelayAttackTests {
    /// Alice's direct feed for Bob.
    static func mail(_ alice: RunningNode, _ bob: RunningNode) -> Feed {
        Feed(author: alice.nodeID.publicKey, kind: .direct, audience: bob.nodeID.publicKey.rawRepresentation)
    }

    @Test func aFriendOfOnlyOneSideDepositsNothingAndIsGivenNothing() async throws {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await GroupTests.start(
            ["Alice", "Bob", "Carol", "Mallory"], pairs: [(0, 1), (0, 2), (1, 2), (2, 3), (0, 3)], network: network)
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol, malloryNode) = (nodes[0], nodes[1], nodes[2], nodes[3])
        let (alices, carols, mallorys) = (
            try await alice.node.running(), try await carol.node.running(), try await malloryNode.node.running()
        )
        try await RunningNode.waitUntilEvent(nodes) {
            let bobSaid = await carols.mutual.said(by: bob.nodeID)?.friends
            let relays = await alices.mutual.relays(carol.nodeID, for: bob.nodeID)
            let mallorySaid = await alices.mutual.said(by: malloryNode.nodeID)?.friends
            return bobSaid == [alice.nodeID] && relays && mallorySaid == [carol.nodeID]
        }
        try await bob.stop(seenBy: carol)
        for index in 1...2 { _ = try await alice.node.sendMessage(to: "Bob", text: "for Bob \(index)") }
        // The third carries a photo, which Carol keeps for Bob.
        let photo = AttachmentFixtures.photo(300_000)
        let uploaded = try await alice.node.upload(
            AttachmentFixtures.stream(photo), size: UInt64(photo.count), name: "beach.png")
        let carolHas = carol.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "for Bob 3", attachments: [uploaded.id])
        for await event in carolHas where event.type == .attachmentComplete && event.attachment == uploaded.id { break }
        let mail = Self.mail(alice, bob)
        try await carol.waitUntilEvent { _ in await carols.relay.head(of: mail.id) == 3 }
        // Mallory has Alice but not Bob: Alice gives her nothing for him.
        #expect(await mallorys.relay.usage().feeds == 0)
        let copies = try await alices.store.entries(of: mail.id, seqs: 1...3)
        let mallory = malloryNode.node.identity.privateKey
        try await malloryNode.stop(seenBy: carol)

        // Mallory deposits her own mail "for Bob", and copies of Alice's, with Carol.
        let hers = try RelayHoldTests.mail(from: mallory, to: bob.nodeID.publicKey, count: 3)
        let peer = try await HostilePeer.connect(port: carol.port, key: mallory, name: "Mallory")
        let batches = [hers.map(\.encoded), copies.map(\.encoded)]
        for batch in batches { try await peer.send(SyncMessage.entries(batch)) }
        let sent = batches.joined().reduce(0) { $0 + $1.count }
        #expect(await peer.waitUntil { HostilePeer.acknowledged($0) >= sent })
        let refusals = await peer.all.compactMap { message -> FeedID? in
            if case .sync(.reject(let feed, _, .notAuthorised, _)) = message { return feed }
            return nil
        }
        #expect(refusals.filter { $0 == hers[0].feedID }.count == 3)
        #expect(refusals.filter { $0 == mail.id }.count == 3)
        #expect(await !carols.relay.holds(hers[0].feedID))
        #expect(await carols.relay.usage().feeds == 1)
        // Mallory asks Carol for the photo she keeps for Bob: refused, like anyone not its reader.
        let blob = try BlobID(hex: uploaded.id)
        try await peer.send(BlobMessage.hashesGet(blob, first: 0, count: 2).bytes)
        try await peer.send(BlobMessage.chunkGet(blob, first: 0, count: 1).bytes)
        let refused = await peer.waitUntil { HostilePeer.blobRefusals($0) == [.notAuthorised, .notAuthorised] }
        #expect(refused)
        // Her HOLD "for Bob" of a made-up blob is ignored: Bob never said she is his friend.
        let madeUp = try BlobID(bytes: Random.bytes(count: 32))
        try await peer.send(HoldMessage(reader: bob.nodeID, blobs: [(madeUp, 1000)]).bytes)
        // (Her next request is answered after the HOLD was handled: one channel, in order.)
        try await peer.send(BlobMessage.hashesGet(madeUp, first: 0, count: 1).bytes)
        #expect(await peer.waitUntil { HostilePeer.blobRefusals($0).count == 3 })
        await #expect(throws: NodeError.self) { _ = try await carol.node.attachment(madeUp.description) }
        await peer.close()

        // Bob, back while Alice is away, gets Alice's three from Carol and nothing else.
        await alice.stop()
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.messages(with: "Alice").count) == 3 }
        #expect(try await bob2.node.messages(with: "Alice").map(\.text) == ["for Bob 1", "for Bob 2", "for Bob 3"])
        #expect(try await bob2.node.running().store.head(of: hers[0].feedID) == 0)
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.attachment(uploaded.id).state) == .complete }
        await bob2.stop()
        await carol.stop()
    }

    @Test func aLyingRelayCostsTheReaderNothingButTime() async throws {
        let (network, nodes, homes) = try await RelayTests.aliceBobAndCarol()
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        try await bob.stop(seenBy: alice)
        var sent: [DirectMessage] = []
        for index in 1...10 { sent.append(try await alice.node.sendMessage(to: "Bob", text: "note \(index)")) }
        let mail = Self.mail(alice, bob)
        let real = try await alice.node.running().store.entries(of: mail.id, seqs: 1...10)
        let carolKey = carol.node.identity.privateKey
        await alice.stop()
        await carol.stop()

        // "Carol" comes back lying: she offers all ten, then sends some out of order, a
        // replay, an altered one, and only half.
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        let liar = try await HostilePeer.connect(port: bob2.port, key: carolKey, name: "Carol")
        try await liar.send(SyncMessage.offer([.init(feed: mail, head: 10)]))
        let asked = await liar.sync { message -> Bool? in
            if case .want(let items) = message, items.contains(where: { $0.feed == mail.id }) { return true }
            return nil
        }
        #expect(asked == true)
        var altered = real[1].encoded
        altered[altered.count - 70] ^= 1
        let batches: [[[UInt8]]] = [
            [real[1].encoded, real[2].encoded], [real[0].encoded, real[0].encoded], [altered], [real[2].encoded],
            real[1..<5].map(\.encoded),
        ]
        for batch in batches { try await liar.send(SyncMessage.entries(batch)) }
        let bytes = batches.joined().reduce(0) { $0 + $1.count }
        #expect(await liar.waitUntil { HostilePeer.acknowledged($0) >= bytes })
        let reasons = await liar.all.compactMap { message -> SyncMessage.RejectReason? in
            if case .sync(.reject(_, _, let reason, _)) = message { return reason }
            return nil
        }
        #expect(reasons.filter { $0 == .gap }.count == 3)
        #expect(reasons.contains(.badSignature))
        #expect(try await bob2.node.messages(with: "Alice").map(\.id) == sent[..<5].map(\.id))
        // The rest comes from Alice when she returns, though the liar still claims it.
        let alice2 = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: network)
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.messages(with: "Alice").count) == 10 }
        #expect(try await bob2.node.messages(with: "Alice").map(\.id) == sent.map(\.id))
        await liar.close()
        await alice2.stop()
        await bob2.stop()
    }
}

extension RelayAttackTests {
    /// A friend's malformed FRIENDS and HOLD — truncated, past 4,096 tags, counts that do not
    /// match their bytes, 0 or 17 blobs — are ignored (Protocol.md §12): what she said before
    /// stands, her channel stays up and in order, and the node goes on serving everyone.
    @Test func malformedFriendsAndHoldChangeNothingAndTheNodeKeepsServing() async throws {
        let (_, nodes, homes) = try await RelayTests.aliceBobAndCarol()
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        let carols = try await carol.node.running()
        let before = try #require(await carols.mutual.said(by: alice.nodeID))
        let key = alice.node.identity.privateKey
        try await alice.stop(seenBy: carol)
        let peer = try await HostilePeer.connect(port: carol.port, key: key, name: "Alice")
        let tag = [UInt8](repeating: 7, count: 16)
        let reader = bob.nodeID.publicKey.rawRepresentation
        let malformed: [[UInt8]] = [
            [FriendsMessage.type],
            [FriendsMessage.type, 0x01, 0x00],
            [FriendsMessage.type, 0x01, 0x00, 0x02] + tag,
            [FriendsMessage.type, 0x00, 0x10, 0x01] + Array(repeating: tag, count: 4097).joined(),
            [HoldMessage.type],
            [HoldMessage.type] + reader + [0],
            [HoldMessage.type] + reader + [17] + [UInt8](repeating: 1, count: 17 * 40),
            [HoldMessage.type] + reader + [1] + [UInt8](repeating: 1, count: 39),
        ]
        for bytes in malformed { try await peer.send(bytes) }
        // A request after them is answered: the channel is up, and read in order.
        let probe = try BlobID(bytes: Random.bytes(count: 32))
        try await peer.send(BlobMessage.hashesGet(probe, first: 0, count: 1).bytes)
        #expect(await peer.waitUntil { HostilePeer.blobRefusals($0).count == 1 })
        #expect(await carols.mutual.said(by: alice.nodeID) == before)
        await peer.close()
        // Carol and Bob go on as before.
        _ = try await bob.node.sendMessage(to: "Carol", text: "still there?")
        try await carol.waitUntilEvent { _ in (try? await carol.node.messages(with: "Bob").count) == 1 }
        await bob.stop()
        await carol.stop()
    }
}

extension RelayAttackTests {
    /// A reader who blocked the author takes none of its mail from a relay (Protocol.md §8.5:
    /// a blocked node is no friend, and a reader takes relayed feeds only of friends): Bob,
    /// away, blocks Alice after Carol took her mail; back with Carol, he gets Carol's own
    /// message and nothing of Alice's.
    @Test func aReaderWhoBlockedTheAuthorGetsNothingOfItsMailFromARelay() async throws {
        let (network, nodes, homes) = try await RelayTests.aliceBobAndCarol()
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        try await bob.stop(seenBy: carol)
        for index in 1...2 { _ = try await alice.node.sendMessage(to: "Bob", text: "please \(index)") }
        let mail = Self.mail(alice, bob)
        let carols = try await carol.node.running()
        try await carol.waitUntilEvent { _ in await carols.relay.head(of: mail.id) == 2 }
        await alice.stop()
        // Bob blocks Alice on his own (no network), then comes back where Carol is.
        let alone = try await RunningNode.start(home: homes[1].path, name: "Bob")
        try await alone.node.block(alice.nodeID.description)
        await alone.stop()
        await RunningNode.waitUntilStoreIsFree(home: homes[1].path)
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        try await bob2.waitUntil { $0.peers.contains { $0.nodeID == carol.nodeID } }
        _ = try await carol.node.sendMessage(to: "Bob", text: "are you there?")
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.messages(with: "Carol").count) == 1 }
        // Carol offered Alice's mail first on that channel: Bob took none of it.
        #expect(try await bob2.node.running().store.head(of: mail.id) == 0)
        await bob2.stop()
        await carol.stop()
    }
}
