import Foundation
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetGroups
import WeMeetModel
import WeMeetProcess
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Likes and comments on moments (client issue, §3; Protocol.md §10.7), seen as WeChat shows
/// them: only by people who are friends of both the moment's author and the one who reacted.
@Suite("Likes and comments on moments", .stopsNodes, .timeLimit(.minutes(1)))
struct MomentReactionTests {
    /// Alice is friends with Bob and with Carol; Bob and Carol are not friends.
    static func triangle() async throws -> (RunningNode, RunningNode, RunningNode, [TemporaryDirectory]) {
        let homes = [try TemporaryDirectory(), try TemporaryDirectory(), try TemporaryDirectory()]
        try await makeFriends([homes[0].path, homes[1].path], names: ["Alice", "Bob"])
        try await makeFriends([homes[0].path, homes[2].path], names: ["Alice", "Carol"])
        let network = InMemoryNetwork()
        let alice = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: network)
        let bob = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        let carol = try await RunningNode.start(home: homes[2].path, name: "Carol", discovery: network)
        return (alice, bob, carol, homes)
    }

    /// Protocol.md §10.8's vector: the payload a like is written as.
    @Test func aLikeEncodesAsTheVector() {
        let id = String(repeating: "77aa", count: 16)
        #expect(
            String(decoding: GroupRecord.encode(MomentReactions.Record(like: id)), as: UTF8.self)
                == #"{"like":"77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa"}"#)
    }

    static func moment(_ node: RunningNode, _ id: String) async throws -> FeedPost? {
        try await node.node.moments().first { $0.id == id }
    }

    @Test func carolsLikeAndCommentReachAliceButNotBobWhoIsNotCarolsFriend() async throws {
        let (alice, bob, carol, homes) = try await Self.triangle()
        defer { for home in homes { home.remove() } }
        let beach = try await alice.node.postMoment("the beach", attachments: [])
        try await carol.waitUntilEvent { _ in (try? await Self.moment(carol, beach.id)) != nil }
        try await bob.waitUntilEvent { _ in (try? await Self.moment(bob, beach.id)) != nil }
        _ = try await carol.node.like(moment: beach.id)
        _ = try await carol.node.comment(moment: beach.id, "lovely 好美")
        _ = try await bob.node.like(moment: beach.id)
        try await alice.waitUntilEvent { _ in
            let seen = try? await Self.moment(alice, beach.id)
            return seen?.likes?.count == 2 && seen?.comments?.count == 1
        }
        let seenByAlice = try #require(try await Self.moment(alice, beach.id))
        #expect(Set(seenByAlice.likes ?? []) == ["Bob", "Carol"])
        #expect(seenByAlice.comments == [FeedPost.MomentComment(from: "Carol", text: "lovely 好美")])
        // Bob sees his own like only: Carol is not his friend, so her feed never reaches him.
        let seenByBob = try #require(try await Self.moment(bob, beach.id))
        #expect(seenByBob.likes == ["me"] && seenByBob.comments == nil)
        let seenByCarol = try #require(try await Self.moment(carol, beach.id))
        #expect(seenByCarol.likes == ["me"] && seenByCarol.comments?.map(\.from) == ["me"])
        // Unlike: gone.
        _ = try await carol.node.like(moment: beach.id, false)
        try await alice.waitUntilEvent { _ in (try? await Self.moment(alice, beach.id))?.likes == ["Bob"] }
        // Bad input: a clear reason.
        await #expect(throws: NodeError.self) { try await carol.node.comment(moment: beach.id, "  ") }
        await #expect(throws: NodeError.self) { try await carol.node.like(moment: "beach") }
        for node in [alice, bob, carol] { await node.stop() }
    }

    /// Alice, who holds Carol's reactions, cannot pass them on to Bob: his node takes a
    /// moments feed only from its author (§8.1), so a friend in between relays nothing.
    @Test func aFriendRelayingAnotherFriendsReactionsIsRefused() async throws {
        let (alice, bob, carol, homes) = try await Self.triangle()
        defer { for home in homes { home.remove() } }
        let beach = try await alice.node.postMoment("the beach", attachments: [])
        try await carol.waitUntilEvent { _ in (try? await Self.moment(carol, beach.id)) != nil }
        try await bob.waitUntilEvent { _ in (try? await Self.moment(bob, beach.id)) != nil }
        _ = try await carol.node.comment(moment: beach.id, "for Alice's friends only")
        let carolFeed = Feed(author: carol.node.identity.nodeID.publicKey, kind: .moments).id
        let aliceStore = try await alice.node.running().store
        try await alice.waitUntilEvent { _ in await aliceStore.head(of: carolFeed) == 1 }
        let relayed = try #require(try await aliceStore.entries(of: carolFeed, seqs: 1...1).first)
        let aliceKey = alice.node.identity.privateKey
        try await alice.stop(seenBy: bob)
        let rejections = bob.node.events.subscribe()
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: bob.port,
            credentials: ChannelCredentials(identityKey: aliceKey, displayName: "Alice"))
        try await channel.executeThenClose { _, outbound in
            try await outbound.send(SyncMessage.entries([relayed.encoded]).bytes)
            for await event in rejections where event.type == .syncRejected { break }
        }
        let bobStore = try await bob.node.running().store
        #expect(await bobStore.head(of: carolFeed) == 0)
        #expect(try await Self.moment(bob, beach.id)?.comments == nil)
        await bob.stop()
        await carol.stop()
    }
}
