import Foundation
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Replies that quote in groups (client issue, §3; Protocol.md §10.2): a post names the post
/// it answers by author, seq and entry ID; each reader shows it from its own store, or
/// "not available".
@Suite("Quotes in groups", .stopsNodes, .timeLimit(.minutes(1)))
struct GroupQuoteTests {
    /// Protocol.md §10.2's quote vector: the payload a writer emits.
    @Test func aPublicPostThatQuotesEncodesAsTheVector() {
        let post = GroupRecord.Post(
            text: "yes",
            quote: QuoteReference(
                author: "HVABPQ7-IIOEVVB-EVXBKTU-2G36XSJ-OJQLGPF-3CJNDGZ-AZVK7CK-XUMYGA2",
                id: String(repeating: "1", count: 64), seq: 2))
        #expect(
            String(decoding: GroupRecord.encode(post), as: UTF8.self)
                == #"{"quote":{"author":"HVABPQ7-IIOEVVB-EVXBKTU-2G36XSJ-OJQLGPF-3CJNDGZ-AZVK7CK-XUMYGA2","id":"1111111111111111111111111111111111111111111111111111111111111111","seq":2},"text":"yes"}"#
        )
    }

    /// Bob answers Alice's post quoting it: both see the quote, each from their own store
    /// (Alice's says "me"); a quote of no post of the group is refused with a reason.
    @Test func bobQuotesAlicesPostAndBothSeeIt() async throws {
        let (alice, bob, group, homes) = try await MentionTests.members()
        defer { for home in homes { home.remove() } }
        let asked = try await alice.node.post("lunch at noon?", to: group.id, attachments: [])
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.posts(in: group.id).contains { $0.id == asked.id }) == true
        }
        let answer = try await bob.node.post("yes", to: group.id, attachments: [], quote: String(asked.id.prefix(8)))
        #expect(
            answer.quote
                == QuotedMessage(id: asked.id, available: true, from: "Alice", text: "lunch at noon?", attachments: 0))
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.posts(in: group.id).contains { $0.id == answer.id }) == true
        }
        let seen = try #require(try await alice.node.posts(in: group.id).first { $0.id == answer.id })
        #expect(
            seen.quote
                == QuotedMessage(id: asked.id, available: true, from: "me", text: "lunch at noon?", attachments: 0))
        await #expect(throws: NodeError.self) {
            try await bob.node.post("no", to: group.id, attachments: [], quote: String(repeating: "0", count: 64))
        }
        await alice.stop()
        await bob.stop()
    }

    /// Hostile quotes (attacker test, crafted with Bob's key): a wrong ID at a real seq, a
    /// membership record, a seq Alice does not hold, another group's post, and a quote that
    /// does not decode. None shows anything of what it names; every post stands.
    @Test func forgedQuotesShowNothingAndThePostsStand() async throws {
        let (alice, bob, group, homes) = try await MentionTests.members()
        defer { for home in homes { home.remove() } }
        let asked = try await alice.node.post("in Trail", to: group.id, attachments: [])
        let other = try await alice.node.createGroup(name: "Secret plans", isPublic: true)
        let elsewhere = try await alice.node.post("in another group", to: other.id, attachments: [])
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let groupID = try #require(GroupID(hex: group.id))
        let feed = Feed(author: bobKey.publicKey, kind: .group, audience: groupID.rawValue)
        let store = try await alice.node.running().store
        let aliceID = alice.node.identity.nodeID.description
        let aliceFeed = Feed(
            author: alice.node.identity.nodeID.publicKey, kind: .group, audience: groupID.rawValue)
        let join = try #require(try await store.entries(of: aliceFeed.id, seqs: 1...1).first)
        func quote(_ id: String, _ seq: UInt64) -> String { #"{"author":"\#(aliceID)","id":"\#(id)","seq":\#(seq)}"# }
        let quotes = [
            quote(String(repeating: "a", count: 64), asked.seq),
            quote(join.id.description, 1),
            quote(asked.id, 999),
            quote(elsewhere.id, elsewhere.seq),
            #""everything""#,
        ]
        let entries = try await store.nextEntries(
            of: feed, key: bobKey,
            quotes.enumerated().map { (GroupRecord.ContentType.post, #"{"quote":\#($1),"text":"forged \#($0)"}"#) })
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
        try await channel.executeThenClose { _, outbound in
            try await outbound.send(SyncMessage.entries(entries.map(\.encoded)).bytes)
            try await alice.waitUntilEvent { _ in
                (try? await alice.node.posts(in: group.id).contains { $0.text == "forged 4" }) == true
            }
        }
        let posts = try await alice.node.posts(in: group.id)
        for index in 0..<4 {
            let post = try #require(posts.first { $0.text == "forged \(index)" }, "forged \(index) was not shown")
            #expect(
                post.quote?.available == false && post.quote?.text == nil,
                "forged \(index): \(String(describing: post.quote))")
        }
        #expect(posts.first { $0.text == "forged 4" }?.quote == nil)
        await alice.stop()
    }
}
