import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetProcess
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// The rest of §8.2–8.3 at the wire level (conformance issue, points 4 and 9–14).
@Suite("Sync conformance: rejects, acks, limits (wire level)", .stopsNodes, .timeLimit(.minutes(1)))
struct SyncRulesConformanceTests {
    /// Alice, and Bob's key played by the hostile-peer harness on a channel to her.
    static func aliceAndBob() async throws -> (RunningNode, HostilePeer, [TemporaryDirectory]) {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let peer = try await HostilePeer.connect(port: alice.port, key: bobKey, name: "Bob")
        return (alice, peer, homes)
    }

    /// Bob's direct feed to Alice, and entry `seq` of it chained to `previous`.
    static func bobsMessage(
        _ peer: HostilePeer, to alice: RunningNode, seq: UInt64, previous: EntryID, text: String
    ) throws -> Entry {
        let cipher = try DirectCipher(own: peer.key, other: alice.node.identity.nodeID.publicKey, outgoing: true)
        let feed = Feed(
            author: peer.key.publicKey, kind: .direct, audience: alice.node.identity.nodeID.publicKey.rawRepresentation)
        return try Entry(
            feed: feed, seq: seq, previous: previous, timestamp: 1_700_000_000_000 + seq,
            contentType: DirectMessages.contentType,
            payload: cipher.seal([DirectMessages.Kind.message.rawValue] + Array(text.utf8)), signedBy: peer.key)
    }

    static func rejects(_ peer: HostilePeer) async -> [(feed: FeedID, seq: UInt64, reason: SyncMessage.RejectReason)] {
        await peer.all.compactMap {
            if case .sync(.reject(let feed, let seq, let reason, _)) = $0 { return (feed, seq, reason) }
            return nil
        }
    }

    /// Points 4, 10 and 11: each §7.3 refusal is a REJECT with its own code; an entry over
    /// the size limit is one too (it used to close the channel); the ACK counts the bytes of
    /// every entry of the batch (encodings without the 4-byte prefixes), whatever became of
    /// them; and the channel stays.
    @Test func eachRefusalHasItsCodeAndTheAckCountsEveryEntry() async throws {
        let (alice, peer, homes) = try await Self.aliceAndBob()
        defer { for home in homes { home.remove() } }
        let first = try Self.bobsMessage(peer, to: alice, seq: 1, previous: .zero, text: "one")
        var badSignature = try Self.bobsMessage(peer, to: alice, seq: 2, previous: first.id, text: "two").encoded
        badSignature[badSignature.count - 1] ^= 1
        let elsewhere = try Self.bobsMessage(peer, to: alice, seq: 1, previous: .zero, text: "another one")
        let wrongPrevious = try Self.bobsMessage(peer, to: alice, seq: 2, previous: elsewhere.id, text: "two")
        let gap = try Self.bobsMessage(peer, to: alice, seq: 5, previous: first.id, text: "five")
        let tooLarge = first.encoded + [UInt8](repeating: 7, count: 70_000)
        let batch = [first.encoded, first.encoded, badSignature, wrongPrevious.encoded, gap.encoded, tooLarge]
        try await peer.send(SyncMessage.entries(batch))
        #expect(await peer.waitUntil { HostilePeer.acknowledged($0) > 0 })
        #expect(await HostilePeer.acknowledged(peer.all) == batch.reduce(0) { $0 + $1.count })
        let got = await Self.rejects(peer)
        let feed = first.feedID
        let zero = try FeedID(rawValue: [UInt8](repeating: 0, count: 32))
        #expect(got.contains { $0.feed == feed && $0.seq == 2 && $0.reason == .badSignature }, "\(got)")
        #expect(got.contains { $0.feed == feed && $0.seq == 2 && $0.reason == .wrongPrevious }, "\(got)")
        #expect(got.contains { $0.feed == feed && $0.seq == 5 && $0.reason == .gap }, "\(got)")
        #expect(got.contains { $0.feed == zero && $0.seq == 0 && $0.reason == .tooLarge }, "\(got)")
        #expect(got.count == 4, "the duplicate is not refused: \(got)")
        #expect(try await alice.node.messages(with: "Bob").map(\.text) == ["one"])
        #expect(await !peer.isClosed)
        await peer.close()
        await alice.stop()
    }

    /// Point 12: the ENTRIES limits bind the receiver too. More than 1,024 entries, or more
    /// than 256 KiB of entries, in one message is a protocol error (close code 2).
    @Test(arguments: [(1025, 10), (5, 60_000)])
    func entriesOverTheMessageLimitsCloseTheChannel(count: Int, size: Int) async throws {
        let (alice, peer, homes) = try await Self.aliceAndBob()
        defer { for home in homes { home.remove() } }
        try await peer.send(SyncMessage.entries(Array(repeating: Random.bytes(count: size), count: count)))
        let reason = await peer.waitUntilClosed()
        #expect(await peer.closeCode == .protocolError, "\(reason ?? "open")")
        await alice.stop()
    }

    /// Point 13: a feed the peer asked for on this channel is pushed as it grows and never
    /// offered again, even when what the node shares changes (a setting, here).
    @Test func aFeedAlreadyAskedForIsNotOfferedAgain() async throws {
        let (alice, peer, homes) = try await Self.aliceAndBob()
        defer { for home in homes { home.remove() } }
        let feed = Feed(
            author: alice.node.identity.nodeID.publicKey, kind: .direct,
            audience: peer.key.publicKey.rawRepresentation)
        func offers() async -> Int {
            await peer.all.filter {
                if case .sync(.offer(let items)) = $0 { items.contains { $0.feed.id == feed.id } } else { false }
            }.count
        }
        _ = try await alice.node.sendMessage(to: "Bob", text: "first")
        #expect(
            await peer.waitUntil { received in
                received.contains {
                    if case .sync(.offer(let items)) = $0 { items.contains { $0.feed.id == feed.id } } else { false }
                }
            })
        try await peer.send(SyncMessage.want([(feed.id, 0)]))
        @Sendable func entries(_ received: [HostilePeer.Received]) -> Int {
            received.reduce(0) { count, message in
                if case .sync(.entries(let entries)) = message { count + entries.count } else { count }
            }
        }
        // The first entry arriving shows Alice took the WANT: from now on the feed is pushed.
        // (Appending before that would rightly offer the new head once more.)
        #expect(await peer.waitUntil { entries($0) >= 1 })
        _ = try await alice.node.sendMessage(to: "Bob", text: "second")
        #expect(await peer.waitUntil { entries($0) == 2 })
        try await alice.node.setHidePublicPosts(true)
        // A marker: REJECTs and OFFERs leave in order, so once the answer to this WANT is
        // here, any OFFER queued by the setting change is here too.
        let unknown = try FeedID(rawValue: Random.bytes(count: 32))
        try await peer.send(SyncMessage.want([(unknown, 5)]))
        #expect(
            await peer.waitUntil { received in
                received.contains { if case .sync(.reject(let id, _, _, _)) = $0 { id == unknown } else { false } }
            })
        #expect(await offers() == 1)
        await peer.close()
        await alice.stop()
    }

    /// Point 14: a refused WANT is answered with the seq it asked from (`have + 1`): reason
    /// 3 for a feed the node does not hold, 2 for one it may not give this peer.
    @Test func aRefusedWantCarriesTheSeqAskedFrom() async throws {
        let (alice, peer, homes) = try await Self.aliceAndBob()
        defer { for home in homes { home.remove() } }
        let unknown = try FeedID(rawValue: Random.bytes(count: 32))
        let control = Feed(
            author: alice.node.identity.nodeID.publicKey, kind: .control, audience: [UInt8](repeating: 0, count: 32))
        try await peer.send(SyncMessage.want([(unknown, 5), (control.id, 0)]))
        #expect(
            await peer.waitUntil { received in
                received.filter { if case .sync(.reject) = $0 { true } else { false } }.count >= 2
            })
        let got = await Self.rejects(peer)
        #expect(got.contains { $0.feed == unknown && $0.seq == 6 && $0.reason == .unknownFeed }, "\(got)")
        #expect(got.contains { $0.feed == control.id && $0.seq == 1 && $0.reason == .notAuthorised }, "\(got)")
        await peer.close()
        await alice.stop()
    }

    /// Point 15 (§9.3): receipts count every entry of the sender's feed (receipts too), and
    /// a receipt never answers a receipt. Bob sends a receipt, then a message: Alice writes
    /// exactly one receipt, with `delivered` 2.
    @Test func receiptsCountTheWholeFeedAndNeverAnswerReceipts() async throws {
        let (alice, peer, homes) = try await Self.aliceAndBob()
        defer { for home in homes { home.remove() } }
        let alicePublic = alice.node.identity.nodeID.publicKey
        let cipher = try DirectCipher(own: peer.key, other: alicePublic, outgoing: true)
        let bobsFeed = Feed(author: peer.key.publicKey, kind: .direct, audience: alicePublic.rawRepresentation)
        var receiptBody = [DirectMessages.Kind.receipt.rawValue]
        receiptBody.appendBigEndian(UInt64(0))
        receiptBody.appendBigEndian(UInt64(0))
        let receipt = try Entry(
            feed: bobsFeed, seq: 1, previous: .zero, timestamp: 1_700_000_000_000,
            contentType: DirectMessages.contentType, payload: cipher.seal(receiptBody), signedBy: peer.key)
        try await peer.send(SyncMessage.entries([receipt.encoded]))
        #expect(await peer.waitUntil { HostilePeer.acknowledged($0) == receipt.encoded.count })
        let message = try Self.bobsMessage(peer, to: alice, seq: 2, previous: receipt.id, text: "hello")
        try await peer.send(SyncMessage.entries([message.encoded]))
        // Alice's feed to Bob: ask for all of it once she offers it.
        let alicesFeed = Feed(author: alicePublic, kind: .direct, audience: peer.key.publicKey.rawRepresentation)
        #expect(
            await peer.waitUntil { received in
                received.contains {
                    if case .sync(.offer(let items)) = $0 {
                        items.contains { $0.feed.id == alicesFeed.id }
                    } else {
                        false
                    }
                }
            })
        try await peer.send(SyncMessage.want([(alicesFeed.id, 0)]))
        let entries = await peer.sync { message -> [[UInt8]]? in
            if case .entries(let entries) = message { entries } else { nil }
        }
        let sealed = try #require(entries).map { try Entry(decoding: $0) }
        let incoming = try DirectCipher(own: peer.key, other: alicePublic, outgoing: false)
        let receipts = try sealed.map { try incoming.open($0.payload) }
        #expect(receipts.count == 1, "one receipt, for the message only: \(receipts)")
        var expected = [DirectMessages.Kind.receipt.rawValue]
        expected.appendBigEndian(UInt64(2))
        expected.appendBigEndian(UInt64(0))
        #expect(receipts.first == expected, "delivered 2: the head of Bob's feed, his receipt included")
        await peer.close()
        await alice.stop()
    }

    /// Point 9: the largest entry is 184 + 65,536 = 65,720 bytes, and that is the credit a
    /// sender keeps before sending more (§7.1, §8.3).
    @Test func theLargestEntryIs65720Bytes() {
        #expect(Entry.maximumLength == 65_720)
        #expect(Entry.maximumLength == 184 + Entry.maximumPayloadLength)
    }
}
