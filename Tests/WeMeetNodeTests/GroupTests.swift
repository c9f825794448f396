import Foundation
import Testing
import WeMeetChannel
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
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

/// WeMeet Group between in-process nodes on loopback (Protocol.md §10): private groups with
/// key epochs, relaying inside the group, public groups, discover and the hide setting.
@Suite("Groups (in-process)", .stopsNodes, .timeLimit(.minutes(1)))
struct GroupTests {
    /// Nodes named `names` on one network, paired as `pairs` (indexes).
    static func start(
        _ names: [String], pairs: [(Int, Int)], network: InMemoryNetwork = InMemoryNetwork()
    ) async throws -> ([RunningNode], [TemporaryDirectory]) {
        let (nodes, homes) = try await RunningNode.start(names, on: network)
        for (a, b) in pairs {
            async let first = RunningNode.press(nodes[a], target: nodes[b].nodeID.description)
            async let second = RunningNode.press(nodes[b], target: nodes[a].nodeID.description)
            let (x, y) = try await (first, second)
            try #require(x.type == .pairPaired && y.type == .pairPaired, "\(x) \(y)")
        }
        return (nodes, homes)
    }

    @Test func aPrivateGroupReachesAnOfflineMemberThroughAnotherMemberAndRotatesKeysOnRemoval() async throws {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await Self.start(
            ["Alice", "Bob", "Carol", "Dave"], pairs: [(0, 1), (0, 2), (1, 3)], network: network)
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol, dave) = (nodes[0], nodes[1], nodes[2], nodes[3])
        let group = try await alice.node.createGroup(name: "Hikers", isPublic: false)
        #expect(group.role == .member && group.admin && group.epoch == 1)
        try await alice.node.invite("Bob", to: "Hikers")
        try await alice.node.invite("Carol", to: "Hikers")
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        try await carol.waitUntilEvent { _ in
            (try? await carol.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        _ = try await bob.node.joinGroup(group.id)
        _ = try await carol.node.joinGroup("Hikers")
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.group(group.id).1.count { $0.role == .member }) == 3
        }

        // Carol goes offline; Bob posts; Bob goes offline; Carol meets only Alice.
        await carol.stop()
        let post = try await bob.node.post("trail is open", to: "Hikers")
        try await alice.waitUntilEvent { _ in (try? await alice.node.posts(in: group.id).map(\.text)) == [post.text] }
        await bob.stop()
        await dave.stop()
        let carol2 = try await RunningNode.start(home: homes[2].path, name: "Carol", discovery: network)
        try await carol2.waitUntilEvent { _ in
            (try? await carol2.node.posts(in: group.id).map(\.text)) == ["trail is open"]
        }
        let seen = try await carol2.node.posts(in: group.id)
        #expect(seen[0].from == "Bob" && seen[0].groupName == "Hikers")

        // A comment, then Carol is removed: a new epoch that Carol is not given.
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.groups().first?.members) == 3 }
        let comment = try await carol2.node.post("see you there", to: "Hikers", reply: String(post.id.prefix(8)))
        #expect(comment.reply == post.id)
        // Alice sees the comment before she removes Carol: a post the removal did not see
        // would not count (Protocol.md §10.3).
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.posts(in: group.id).contains { $0.id == comment.id }) == true
        }
        let removed = carol2.node.events.subscribe()
        try await alice.node.removeMember("Carol", from: "Hikers")
        #expect(try await alice.node.groups().first?.epoch == 2)
        for await event in removed where event.type == .groupRemoved { break }
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.groups().first?.epoch) == 2 }
        let fromAlice = try await alice.node.post("new meeting point", to: "Hikers")
        let fromBob = try await bob2.node.post("bring water", to: "Hikers")
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.posts(in: group.id).count) == 4 }
        try await alice.waitUntilEvent { _ in (try? await alice.node.posts(in: group.id).count) == 4 }
        #expect(try await alice.node.posts(in: group.id).allSatisfy { $0.text != nil })
        #expect(try await bob2.node.posts(in: group.id).allSatisfy { $0.text != nil })
        // Carol is still served the admin's feed (to learn of the removal) but cannot read
        // what was posted after; Bob's feed is no longer served to her at all.
        try await carol2.waitUntilEvent { _ in
            (try? await carol2.node.posts(in: group.id).contains { $0.id == fromAlice.id }) == true
        }
        let carolSees = try await carol2.node.posts(in: group.id)
        #expect(carolSees.first { $0.id == fromAlice.id }?.text == nil)
        #expect(!carolSees.contains { $0.id == fromBob.id })
        #expect(carolSees.filter { $0.text != nil }.map(\.text) == ["trail is open", "see you there"])
        #expect(try await carol2.node.groups().first?.role == .removed)
        await #expect(throws: NodeError.self) { _ = try await carol2.node.post("hello?", to: "Hikers") }
        await alice.stop()
        await bob2.stop()
        await carol2.stop()
    }

    @Test func aPostReachesAMemberWhoWasNeverOnlineWithItsAuthor() async throws {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await Self.start(
            ["Alice", "Bob", "Carol"], pairs: [(0, 1), (0, 2)], network: network)
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        let group = try await alice.node.createGroup(name: "Book club", isPublic: false)
        try await alice.node.invite("Bob", to: group.id)
        try await alice.node.invite("Carol", to: group.id)
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        try await carol.waitUntilEvent { _ in
            (try? await carol.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        _ = try await bob.node.joinGroup(group.id)
        _ = try await carol.node.joinGroup(group.id)
        // Bob and Carol are not friends, but fellow members: they connect and sync.
        try await bob.waitUntil { $0.peers.contains { $0.nodeID == carol.nodeID } }
        // Carol holds Bob's join before he goes: Alice's leave below cites it, and once Alice
        // has left she no longer relays Bob's feed, so without it the leave would wait for Bob.
        try await carol.waitUntilEvent { _ in
            (try? await carol.node.group(group.id).1.first { $0.name == "Bob" }?.role) == .member
        }
        await bob.stop()
        _ = try await alice.node.post("chapter 3 tonight", to: group.id)
        try await carol.waitUntilEvent { _ in (try? await carol.node.posts(in: group.id).count) == 1 }
        try await alice.node.leaveGroup(group.id)
        try await carol.waitUntilEvent { _ in
            (try? await carol.node.group(group.id).1.first { $0.name == "Alice" }?.role) == .left
        }
        await alice.stop()
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        try await bob2.waitUntilEvent { _ in
            (try? await bob2.node.posts(in: group.id).map(\.text)) == ["chapter 3 tonight"]
        }
        // Alice left: a remaining member inherits admin and starts a new epoch without her.
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.groups().first?.epoch) == 2 }
        let members = try await bob2.node.group(group.id).1
        #expect(members.filter(\.admin).count == 1)
        #expect(members.first { $0.name == "Alice" }?.role == .left)
        await bob2.stop()
        await carol.stop()
    }

    /// A reply to a comment, and a reply to that: the list says how deep each is and whose
    /// thread, in the API (the CLI and the web app order and indent by it).
    @Test func repliesToCommentsAreListedWithTheirDepthAndThread() async throws {
        let (nodes, homes) = try await Self.start(["Alice", "Bob"], pairs: [(0, 1)])
        defer { for home in homes { home.remove() } }
        let (alice, bob) = (nodes[0], nodes[1])
        let group = try await alice.node.createGroup(name: "Threads", isPublic: true)
        try await alice.node.invite("Bob", to: group.id)
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        _ = try await bob.node.joinGroup(group.id)
        let top = try await alice.node.post("a walk on Sunday?", to: group.id)
        try await bob.waitUntilEvent { _ in (try? await bob.node.posts(in: group.id).count) == 1 }
        let comment = try await bob.node.post("yes", to: group.id, reply: top.id)
        try await alice.waitUntilEvent { _ in (try? await alice.node.posts(in: group.id).count) == 2 }
        let reply = try await alice.node.post("at 10", to: group.id, reply: comment.id)
        _ = try await alice.node.post("bring water", to: group.id, reply: reply.id)
        _ = try await alice.node.post("another topic", to: group.id)
        let listed = try await alice.node.posts(in: group.id)
        #expect(listed.map(\.depth) == [0, 1, 2, 3, 0], "\(listed.map(\.text))")
        #expect(listed.prefix(4).allSatisfy { $0.thread == top.id })
        await alice.stop()
        await bob.stop()
    }

    /// A chain of 10,000 replies, each to the one before: ordered and annotated without
    /// recursion, in reading order; comments whose post is not on the page start threads.
    @Test func aTenThousandDeepChainOfRepliesIsOrderedWithoutRecursion() {
        let author = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
        func post(_ id: Int, reply: Int?) -> FeedPost {
            FeedPost(
                id: "p\(id)", kind: .post, author: author, from: "Ann", text: "\(id)", reply: reply.map { "p\($0)" },
                sentAt: Date(), seq: UInt64(id))
        }
        let chain = (0..<10_000).map { post($0, reply: $0 == 0 ? nil : $0 - 1) }
        let ordered = PostThreads.order(chain.reversed())
        #expect(ordered.map(\.depth) == Array(0..<10_000))
        let annotated = PostThreads.annotate(chain)
        #expect(annotated.last?.depth == 9_999 && annotated.last?.thread == "p0")
        let orphan = PostThreads.order([post(5, reply: 4), post(6, reply: 5), post(7, reply: nil), post(8, reply: 5)])
        #expect(orphan.map(\.post.id) == ["p5", "p6", "p8", "p7"] && orphan.map(\.depth) == [0, 1, 1, 0])
    }

    @Test func friendsDiscoverPublicPostsJoinAndTheHideSettingStopsNewOnes() async throws {
        let (nodes, homes) = try await Self.start(
            ["Alice", "Bob", "Dave"], pairs: [(0, 1), (1, 2)])
        defer { for home in homes { home.remove() } }
        let (alice, bob, dave) = (nodes[0], nodes[1], nodes[2])
        let park = try await alice.node.createGroup(name: "Park run", isPublic: true)
        _ = try await alice.node.post("5k on Sunday", to: park.id)
        // Bob sees his friend Alice's public post, and joins from there.
        try await bob.waitUntilEvent { _ in (try? await bob.node.discover().map(\.text)) == ["5k on Sunday"] }
        #expect(try await bob.node.discover().first?.groupName == "Park run")
        _ = try await bob.node.joinGroup("Park run")
        _ = try await bob.node.post("count me in", to: park.id)
        // Dave, Bob's friend, sees Bob's post (not Alice's: she is not his friend).
        try await dave.waitUntilEvent { _ in (try? await dave.node.discover().map(\.text)) == ["count me in"] }
        _ = try await dave.node.joinGroup(park.id)
        try await dave.waitUntilEvent { _ in
            // In the order Dave's node stored them: Bob's reached him first, through discover.
            (try? await dave.node.posts(in: park.id).compactMap(\.text)) == ["count me in", "5k on Sunday"]
        }
        _ = try await alice.node.post("meet at the gate", to: park.id)
        try await dave.waitUntilEvent { _ in (try? await dave.node.posts(in: park.id).count) == 3 }
        #expect(try await dave.node.feed().first?.text == "meet at the gate")

        // Dave leaves; Bob hides his public posts from friends outside the group.
        try await dave.node.leaveGroup(park.id)
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.group(park.id).1.first { $0.name == "Dave" }?.role) == .left
        }
        _ = try await bob.node.post("seen via discover", to: park.id)
        try await dave.waitUntilEvent { _ in
            (try? await dave.node.discover().map(\.text).contains("seen via discover")) == true
        }
        try await bob.node.setHidePublicPosts(true)
        #expect(try await bob.node.hidesPublicPosts())
        _ = try await bob.node.post("members only now", to: park.id)
        _ = try await bob.node.postMoment("a moment after the hidden post")
        try await dave.waitUntilEvent { _ in
            (try? await dave.node.moments().map(\.text)) == ["a moment after the hidden post"]
        }
        #expect(try await !dave.node.discover().map(\.text).contains("members only now"))
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.posts(in: park.id).map(\.text).contains("members only now")) == true
        }
        await alice.stop()
        await bob.stop()
        await dave.stop()
    }

    @Test func momentsGoToFriendsOnlyAndUnpairingTakesAFriendOut() async throws {
        let (nodes, homes) = try await Self.start(["Alice", "Bob", "Dave"], pairs: [(0, 1), (1, 2)])
        defer { for home in homes { home.remove() } }
        let (alice, bob, dave) = (nodes[0], nodes[1], nodes[2])
        _ = try await alice.node.postMoment("first light")
        try await bob.waitUntilEvent { _ in (try? await bob.node.moments().map(\.text)) == ["first light"] }
        #expect(try await bob.node.feed().first?.kind == .moment)
        // Dave is Bob's friend, not Alice's: Bob does not pass Alice's moments on.
        _ = try await bob.node.postMoment("from Bob")
        try await dave.waitUntilEvent { _ in (try? await dave.node.moments().map(\.text)) == ["from Bob"] }
        let momentsFeed = Feed(author: alice.node.identity.nodeID.publicKey, kind: .moments).id
        #expect(try await dave.node.feedHeads()[momentsFeed] == nil)
        // After unpairing, Alice's node no longer serves Bob her moments.
        _ = try await alice.node.unpair("Bob")
        let running = try await alice.node.running()
        let policy = NodePolicy(
            own: alice.node.identity.nodeID.publicKey, friends: running.friends, groups: running.groups,
            settings: running.settings, readability: DirectReadability(key: alice.node.identity.privateKey),
            mutual: running.mutual, relay: running.relay, messages: running.messages)
        let feed = Feed(author: alice.node.identity.nodeID.publicKey, kind: .moments)
        #expect(await !policy.mayServe(feed, to: bob.node.identity.nodeID))
        #expect(await !policy.syncs(with: bob.node.identity.nodeID))
        await alice.stop()
        await bob.stop()
        await dave.stop()
    }

    @Test func strangersAndFriendsOutsideAPrivateGroupGetNothingOfIt() async throws {
        let (nodes, homes) = try await Self.start(["Alice", "Bob", "Dave"], pairs: [(0, 1), (1, 2)])
        defer { for home in homes { home.remove() } }
        let (alice, bob, dave) = (nodes[0], nodes[1], nodes[2])
        let group = try await alice.node.createGroup(name: "Secret", isPublic: false)
        try await alice.node.invite("Bob", to: group.id)
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        _ = try await bob.node.joinGroup(group.id)
        _ = try await bob.node.post("members only", to: group.id)
        try await alice.waitUntilEvent { _ in (try? await alice.node.posts(in: group.id).count) == 1 }
        let groupID = GroupID(hex: group.id)!
        let feeds = [alice, bob].map {
            Feed(author: $0.node.identity.nodeID.publicKey, kind: .group, audience: groupID.rawValue).id
        }
        // Dave, Bob's friend, holds nothing of the group.
        #expect(try await dave.node.feedHeads().keys.allSatisfy { !feeds.contains($0) })
        await #expect(throws: NodeError.self) { _ = try await dave.node.posts(in: group.id) }
        // Asking for its feeds by ID: refused (Dave's key, a raw channel to Bob).
        let daveKey = dave.node.identity.privateKey
        await dave.stop()
        let asFriend = try await Self.ask(bob.port, for: feeds, as: daveKey, answers: 2)
        #expect(asFriend.count == 2 && asFriend.allSatisfy { $0.contains("not yours") }, "\(asFriend)")
        // A stranger gets no sync messages at all.
        let asStranger = try await Self.ask(alice.port, for: feeds, as: Ed25519.PrivateKey())
        #expect(asStranger.isEmpty, "\(asStranger)")
        await alice.stop()
        await bob.stop()
    }

    /// Sends WANT for `feeds` on a raw channel; returns what came back (reject reasons, or
    /// "entries" when entries did): until `answers` came, or (with 0) until the peer closes
    /// after the channel is closed from here.
    static func ask(
        _ port: Int, for feeds: [FeedID], as key: Ed25519.PrivateKey, answers: Int = 0
    ) async throws -> [String] {
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: port, credentials: ChannelCredentials(identityKey: key, displayName: "Asker"))
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.send(SyncMessage.want(feeds.map { ($0, 0) }).bytes)
            if answers == 0 { try await outbound.close(.normal, reason: "done") }
            var got: [String] = []
            do {
                for try await message in inbound {
                    switch try? SyncMessage(bytes: Array(buffer: message)) {
                    case .reject(_, _, _, let text)?: got.append(text)
                    case .entries?: got.append("entries")
                    default: break
                    }
                    if answers > 0 && got.count == answers { break }
                }
            } catch {}
            return got
        }
    }
}
