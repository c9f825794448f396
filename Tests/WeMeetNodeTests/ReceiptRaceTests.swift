import Logging
import Testing
import WeMeetAttachments
import WeMeetCrypto
import WeMeetFriends
import WeMeetMessaging
import WeMeetModel
import WeMeetProcess
import WeMeetStore
import WeMeetSync

@testable import WeMeetChannel

/// Turn 1's third race, without sockets: a delivered-receipt that is being scheduled or
/// written while the user marks the conversation read. Two writers interleaved could write
/// the older state last, and the sender would never see "read"; one writer per friend, going
/// round again when asked meanwhile, means the read mark always lands.
@Suite("Direct-message receipts racing read marks", .timeLimit(.minutes(1)))
struct ReceiptRaceTests {
    /// One side of a conversation: its store, friend book and messages, and the appends it
    /// announces.
    struct Side {
        let key = Ed25519.PrivateKey()
        let home: TemporaryDirectory
        let store: Store
        let friends: FriendBook
        let growth = FeedGrowth()
        let messages: DirectMessages
        var nodeID: NodeID { NodeID(publicKey: key.publicKey) }

        init() async throws {
            home = try TemporaryDirectory()
            store = try Store(directory: home.path + "/store")
            friends = try await FriendBook(store: store, key: key)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            messages = DirectMessages(
                key: key, store: store, friends: friends, growth: growth, finds: AttachmentFinds(), events: EventHub(),
                logger: logger)
        }

        /// Stores `entries` as sync would (they came from `peer`) and hands them to messaging.
        func receive(_ entries: [Entry], from peer: Side) async {
            _ = await store.ingest(batch: entries.map(\.encoded))
            let info = PeerInfo(
                nodeID: peer.nodeID, displayName: "peer", protocolVersion: 1,
                handshakeHash: [UInt8](repeating: 1, count: 64), isInitiator: true, remoteAddress: "test")
            await messages.ingested(entries, from: info)
        }
    }

    @Test func aReadMarkMadeWhileTheDeliveredReceiptIsPendingIsNeverLost() async throws {
        let alice = try await Side()
        let bob = try await Side()
        defer {
            alice.home.remove()
            bob.home.remove()
        }
        let bobAsFriend = try await alice.friends.add(bob.nodeID, name: "Bob", code: "000000")
        let aliceAsFriend = try await bob.friends.add(alice.nodeID, name: "Alice", code: "000000")
        var aliceAppends = alice.growth.appended.makeAsyncIterator()
        var bobAppends = bob.growth.appended.makeAsyncIterator()
        for round in 1...20 {
            // Bob writes; Alice receives it (a delivered-receipt is scheduled, to be written a
            // moment later) and the user reads the conversation before or while it is written.
            _ = try await bob.messages.send("message \(round)", to: aliceAsFriend)
            let (feed, head) = try #require(await bobAppends.next()?.first)
            let written = try await bob.store.entries(of: feed.id, seqs: UInt64(round)...head)
            await alice.receive(written, from: bob)
            try await alice.messages.markRead(bobAsFriend)
            // Alice's receipts reach Bob until he sees every message read.
            while try await bob.messages.conversation(with: aliceAsFriend).messages.contains(where: {
                $0.status != .read
            }) {
                let (receiptFeed, receiptHead) = try #require(await aliceAppends.next()?.first)
                let have = await bob.store.head(of: receiptFeed.id)
                guard receiptHead > have else { continue }
                await bob.receive(
                    try await alice.store.entries(of: receiptFeed.id, seqs: (have + 1)...receiptHead), from: alice)
            }
        }
    }
}
