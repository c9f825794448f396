import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Attacks on groups by hostile peers with valid keys (group-authority issue).
@Suite("Group attacks (hostile peer)", .stopsNodes, .timeLimit(.minutes(1)))
struct GroupAttackTests {
    /// Finding 5: a friend who never joined a public group writes a post into its own feed of
    /// it. A member takes that feed (a friend's own feed is accepted for discover), but it is
    /// no member's post: it is neither shown in the group nor relayed to the other members.
    @Test func anOutsidersPostIntoAPublicGroupIsNeitherShownNorRelayed() async throws {
        let (nodes, homes) = try await GroupTests.start(["Alice", "Bob", "Mallory"], pairs: [(0, 1), (1, 2)])
        defer { for home in homes { home.remove() } }
        let (alice, bob, malloryNode) = (nodes[0], nodes[1], nodes[2])
        let park = try await alice.node.createGroup(name: "Park", isPublic: true)
        _ = try await alice.node.post("5k on Sunday", to: park.id)
        try await bob.waitUntilEvent { _ in (try? await bob.node.discover().count) == 1 }
        _ = try await bob.node.joinGroup("Park")
        let mallory = malloryNode.node.identity.privateKey
        await malloryNode.stop()

        let groupID = try Hex.decode(park.id)
        let outsiderFeed = Feed(author: mallory.publicKey, kind: .group, audience: groupID)
        let post = try Entry(
            feed: outsiderFeed, seq: 1, previous: .zero, timestamp: 1_700_000_000_000,
            contentType: GroupRecord.ContentType.post,
            payload: GroupRecord.encode(GroupRecord.Post(text: "free tickets, click here")), signedBy: mallory)
        let peer = try await HostilePeer.connect(port: bob.port, key: mallory, name: "Mallory")
        try await peer.send(SyncMessage.entries([post.encoded]))
        #expect(await peer.waitUntil { HostilePeer.acknowledged($0) >= post.encoded.count })
        #expect(try await bob.node.feedHeads()[outsiderFeed.id] == 1, "Bob keeps it (a friend's own feed)")

        #expect(try await !bob.node.posts(in: park.id).contains { $0.text == "free tickets, click here" })
        #expect(try await !bob.node.feed().contains { $0.text == "free tickets, click here" })
        let groups = try await bob.node.running().groups
        #expect(
            await !groups.mayServe(
                outsiderFeed, to: alice.node.identity.nodeID, peerIsFriend: true, hidePublicPosts: false),
            "Bob would relay the outsider's feed to Alice")
        // A member's post still flows both ways.
        _ = try await bob.node.post("count me in", to: park.id)
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.posts(in: park.id).compactMap(\.text)) == ["5k on Sunday", "count me in"]
        }
        #expect(try await alice.node.feedHeads()[outsiderFeed.id] == nil)
        await peer.close()
        await alice.stop()
        await bob.stop()
    }
}
