import Foundation
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetMessaging
import WeMeetModel
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Replies that quote (client issue, §3; Protocol.md §9.2): the quoted text is what the
/// reader's own store holds, never what the reply claims.
@Suite("Replies with a quote", .stopsNodes, .timeLimit(.minutes(1)))
struct QuoteTests {
    /// Bob replies to Alice's message quoting it: both see the quote, read from their stores.
    @Test func aReplyQuotesTheMessageItAnswersOnBothSides() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let lunch = try await alice.node.sendMessage(to: "Bob", text: "lunch?")
        try await bob.waitUntilEvent { _ in (try? await bob.node.messages(with: "Alice").count) == 1 }
        let reply = try await bob.node.sendMessage(to: "Alice", text: "yes", attachments: [], quote: lunch.id)
        #expect(
            reply.quote == QuotedMessage(id: lunch.id, available: true, from: "Alice", text: "lunch?", attachments: 0))
        try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 2 }
        let seen = try #require(try await alice.node.messages(with: "Bob").last)
        #expect(seen.text == "yes")
        #expect(seen.quote == QuotedMessage(id: lunch.id, available: true, from: "me", text: "lunch?", attachments: 0))
        // Quoting something that is not a message of this conversation is refused, with a reason.
        await #expect(throws: NodeError.self) {
            try await bob.node.sendMessage(
                to: "Alice", text: "?", attachments: [], quote: String(repeating: "ab", count: 32))
        }
        await alice.stop()
        await bob.stop()
    }

    /// A friend's replies that quote another conversation's entry, a forged ID, a receipt, or
    /// a quote that does not decode: each reply is shown, its quote "not available", and no
    /// text of anything it names leaks; a genuine quote next to them works.
    @Test func quotesOfOtherConversationsForgedIDsReceiptsAndJunkShowNothing() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        let aliceID = alice.node.identity.nodeID
        try await bob.stop(seenBy: alice)
        let lunch = try await alice.node.sendMessage(to: "Bob", text: "lunch?")
        let secret = try await alice.node.sendMessage(to: "Bob", text: "the door code is 4711")
        let feed = Feed(author: bobKey.publicKey, kind: .direct, audience: aliceID.publicKey.rawRepresentation)
        let cipher = try DirectCipher(own: bobKey, other: aliceID.publicKey, outgoing: true)
        var previous = EntryID.zero
        var entries: [Entry] = []
        func reply(_ text: String, quote: String) throws {
            let body = #"{"attachments":[],"quote":\#(quote),"text":"\#(text)"}"#
            let entry = try Entry(
                feed: feed, seq: UInt64(entries.count + 1), previous: previous,
                timestamp: 1_700_000_000_000 + UInt64(entries.count), contentType: DirectMessages.contentType,
                payload: cipher.seal([DirectMessages.Kind.attachments.rawValue] + Array(body.utf8)), signedBy: bobKey)
            previous = entry.id
            entries.append(entry)
        }
        let carol = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
        func quote(_ author: NodeID, _ id: String, _ seq: UInt64) -> String {
            #"{"author":"\#(author)","id":"\#(id)","seq":\#(seq)}"#
        }
        try reply("genuine", quote: quote(aliceID, lunch.id, lunch.seq))
        // Another conversation's author (Carol's feed is nothing this reply may name).
        try reply("third party", quote: quote(carol, secret.id, secret.seq))
        // Alice's feed at the secret's seq, under the lunch message's ID: the ID must match.
        try reply("forged id", quote: quote(aliceID, lunch.id, secret.seq))
        // A seq past what Alice's feed holds.
        try reply("future", quote: quote(aliceID, secret.id, 99))
        try reply("not an object", quote: #""the door code""#)
        try reply("huge", quote: quote(aliceID, String(repeating: "f", count: 10_000), 1))
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
        try await channel.executeThenClose { _, outbound in
            try await outbound.send(SyncMessage.entries(entries.map(\.encoded)).bytes)
            try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 8 }
        }
        let replies = Dictionary(
            uniqueKeysWithValues: try await alice.node.messages(with: "Bob").map { ($0.text, $0) })
        #expect(replies["genuine"]?.quote?.text == "lunch?" && replies["genuine"]?.quote?.from == "me")
        for text in ["third party", "forged id", "future", "huge"] {
            let quote = try #require(replies[text]?.quote, "\(text)")
            #expect(!quote.available && quote.text == nil && quote.from == nil, "\(text): \(quote)")
            #expect(quote.id.count <= 64, "\(text)")
        }
        #expect(replies["not an object"] != nil && replies["not an object"]?.quote == nil)
        // Alice's receipts to Bob sit in her feed for him: one quoted by its true ID and seq
        // is still not a message, so not available.
        try await alice.node.markRead("Bob")  // writes a receipt into her feed for Bob
        let store = try await alice.node.running().store
        let ownFeed = Feed(author: aliceID.publicKey, kind: .direct, audience: bobKey.publicKey.rawRepresentation).id
        let receipt = try #require(
            try await store.entries(of: ownFeed, seqs: 1...(await store.head(of: ownFeed))).first {
                $0.seq != lunch.seq && $0.seq != secret.seq
            })
        try reply("a receipt", quote: quote(aliceID, receipt.id.description, receipt.seq))
        let again = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
        try await again.executeThenClose { _, outbound in
            try await outbound.send(SyncMessage.entries([entries.last!.encoded]).bytes)
            try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 9 }
        }
        let onReceipt = try #require(try await alice.node.messages(with: "Bob").last?.quote)
        #expect(!onReceipt.available && onReceipt.text == nil)
        await alice.stop()
    }
}
