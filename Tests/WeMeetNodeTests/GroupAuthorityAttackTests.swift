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
import WeMeetProcess
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Group authority against false clocks and forged records (group-authority issue, findings
/// 1–4; Protocol.md §10.3): real nodes, a clock per node, and the hostile-peer harness
/// writing as a member with its own valid key. Each failed when the fold ordered records by
/// their authors' timestamps.
@Suite("Group authority (hostile peer, false clocks)", .stopsNodes, .timeLimit(.minutes(1)))
struct GroupAuthorityAttackTests {
    /// Where a node's feed of a group ends, and what its next record would cite.
    struct Tip {
        var seq: UInt64
        var previous: EntryID
        var deps: GroupRecord.Citations
        var feed: Feed
    }

    static func tip(_ node: RunningNode, in group: GroupID) async throws -> Tip {
        let running = try await node.node.running()
        let feed = Feed(author: node.node.identity.nodeID.publicKey, kind: .group, audience: group.rawValue)
        let head = await running.store.head(of: feed.id)
        let last = try #require(try await running.store.entries(of: feed.id, seqs: head...head).first)
        return Tip(seq: head, previous: last.id, deps: await running.groups.citations(group), feed: feed)
    }

    /// The records `key` writes after `tip`, each dated `date` (a false clock).
    static func forge(
        _ records: [(UInt16, [UInt8])], after tip: Tip, key: Ed25519.PrivateKey, dated date: Date
    ) throws -> [Entry] {
        var previous = tip.previous
        var out: [Entry] = []
        for (offset, (contentType, payload)) in records.enumerated() {
            let entry = try Entry(
                feed: tip.feed, seq: tip.seq + UInt64(offset) + 1, previous: previous,
                timestamp: UInt64(date.timeIntervalSince1970 * 1000), contentType: contentType, payload: payload,
                signedBy: key)
            previous = entry.id
            out.append(entry)
        }
        return out
    }

    /// Sends `entries` to `node` as `key` and waits until they are acknowledged.
    static func deliver(_ entries: [Entry], as key: Ed25519.PrivateKey, to node: RunningNode) async throws {
        let peer = try await HostilePeer.connect(port: node.port, key: key, name: "Mallory")
        let bytes = entries.map(\.encoded)
        try await peer.send(SyncMessage.entries(bytes))
        let total = bytes.reduce(0) { $0 + $1.count }
        #expect(await peer.waitUntil { HostilePeer.acknowledged($0) >= total })
        await peer.close()
    }

    /// `admin` invites each named friend to the private group `club`; each waits until it
    /// holds the key, joins, and `admin` sees them all as members.
    static func invite(_ invitees: [(String, RunningNode)], by admin: RunningNode, to club: GroupSummary) async throws {
        let group = try groupID(club)
        for (name, node) in invitees {
            try await admin.node.invite(name, to: club.id)
            try await node.waitUntilEvent { _ in (try? await node.node.groups().first?.readable) == true }
            _ = try await node.node.joinGroup(club.id)
        }
        let expected = invitees.count + 1
        try await admin.waitUntilEvent { _ in (try? await state(admin, group).members.count) == expected }
    }

    static func groupID(_ summary: GroupSummary) throws -> GroupID { GroupID(rawValue: try Hex.decode(summary.id)) }

    static func state(_ node: RunningNode, _ group: GroupID) async throws -> GroupState {
        try await node.node.running().groups.state(group)
    }

    /// Finding 1: an admin removed while offline, its clock set before the removal, invites
    /// Xavier. The invitation did not see the removal, so it is void: Xavier is not invited
    /// and the creator's node wraps no key for it.
    @Test func aRemovedAdminsBackdatedInviteIsVoid() async throws {
        let (nodes, homes) = try await GroupTests.start(
            ["Alice", "Mallory", "Bob", "Xavier"], pairs: [(0, 1), (0, 2), (1, 3)])
        defer { for home in homes { home.remove() } }
        let (alice, malloryNode, bob, xavier) = (nodes[0], nodes[1], nodes[2], nodes[3])
        let club = try await alice.node.createGroup(name: "Club", isPublic: false)
        let group = try Self.groupID(club)
        try await Self.invite([("Mallory", malloryNode), ("Bob", bob)], by: alice, to: club)
        try await alice.node.promote("Mallory", in: "Club")
        try await malloryNode.waitUntilEvent { _ in
            (try? await Self.state(malloryNode, group).isAdmin(malloryNode.node.identity.nodeID)) == true
        }
        let tip = try await Self.tip(malloryNode, in: group)
        let mallory = malloryNode.node.identity.privateKey
        await malloryNode.stop()
        await xavier.stop()
        let removedAt = Date()
        try await alice.node.removeMember("Mallory", from: "Club")
        try await alice.waitUntilEvent { _ in (try? await Self.state(alice, group).epoch) == 2 }

        let invite = GroupRecord.encode(
            GroupRecord.Member(action: "invite", member: xavier.nodeID.description, deps: tip.deps))
        let forged = try Self.forge(
            [(GroupRecord.ContentType.member, invite)], after: tip, key: mallory,
            dated: removedAt.addingTimeInterval(-3600))
        try await Self.deliver(forged, as: mallory, to: alice)
        let xavierID = xavier.node.identity.nodeID
        let after = try await Self.state(alice, group)
        #expect(after.role(of: xavierID) == nil, "the removed admin's invitation took effect")
        #expect(!after.missingCurrentKey.contains(xavierID))
        #expect(after.keys.values.allSatisfy { !$0.recipients.contains(xavierID) })
        await alice.stop()
        await bob.stop()
    }

    /// Finding 2: an admin whose clock runs ten years ahead removes Carol; the creator, with a
    /// right clock, invites her again — and it takes effect, because it saw the removal. Then
    /// the creator removes Dave, and the new key (the chain's tip) is current on both admins,
    /// without Dave.
    @Test func aFutureDatedAdminCannotPinARemovalOrAKey() async throws {
        let network = InMemoryNetwork()
        let homes = try (0..<4).map { _ in try TemporaryDirectory() }
        defer { for home in homes { home.remove() } }
        let tenYears: TimeInterval = 10 * 365 * 86_400
        var nodes: [RunningNode] = []
        for (index, name) in ["Alice", "Fred", "Carol", "Dave"].enumerated() {
            nodes.append(
                try await RunningNode.start(
                    home: homes[index].path, name: name, discovery: network,
                    clock: name == "Fred" ? .skewed(by: tenYears) : .system))
        }
        for node in nodes { try await node.waitUntilRadar { $0.nearby.count == 3 } }
        let (alice, fred, carol, dave) = (nodes[0], nodes[1], nodes[2], nodes[3])
        for other in [fred, carol, dave] { try await QuotaAttackTests.pair(alice, other) }
        let club = try await alice.node.createGroup(name: "Club", isPublic: false)
        let group = try Self.groupID(club)
        try await Self.invite([("Fred", fred), ("Carol", carol), ("Dave", dave)], by: alice, to: club)
        try await alice.node.promote("Fred", in: "Club")
        try await fred.waitUntilEvent { _ in
            guard let state = try? await Self.state(fred, group) else { return false }
            return state.members.count == 4 && state.isAdmin(fred.node.identity.nodeID)
        }
        try await fred.node.removeMember(carol.nodeID.description, from: "Club")
        try await alice.waitUntilEvent { _ in
            (try? await Self.state(alice, group).role(of: carol.node.identity.nodeID)) == .removed
        }
        // The creator's re-invite saw the removal: it comes after it, whatever the dates.
        try await alice.node.invite("Carol", to: "Club")
        #expect(try await Self.state(alice, group).role(of: carol.node.identity.nodeID) == .invited)
        try await carol.waitUntilEvent { _ in (try? await carol.node.groups().first?.role) == .invited }

        try await alice.node.removeMember("Dave", from: "Club")
        let daveID = dave.node.identity.nodeID
        // Both admins rotate at once; the chain's tip is the same on both, and Dave has it not.
        try await RunningNode.waitUntilEvent([alice, fred]) {
            guard let a = try? await Self.state(alice, group), let f = try? await Self.state(fred, group),
                let current = a.currentKey
            else { return false }
            return f.currentKey == current && a.role(of: daveID) == .removed && f.role(of: daveID) == .removed
                && a.keys[current]?.recipients.contains(daveID) == false && !a.needsRotation && !f.needsRotation
        }
        // No rotation without end (before, a future-dated key stayed current for good and the
        // admins rotated dozens of times a second): two removals, a handful of epochs.
        #expect(try await Self.state(alice, group).keys.count <= 8)
        for node in nodes { await node.stop() }
    }

    /// Findings 3 and 4, in a public group: Rita is removed while offline, then writes a leave
    /// dated before the removal, a post, and a join to come back. The leave cannot dodge the
    /// removal, the post is not shown, and she stays removed.
    @Test func aRemovedMembersBackdatedLeavePostAndRejoinCountForNothing() async throws {
        let (nodes, homes) = try await GroupTests.start(["Alice", "Rita", "Bob"], pairs: [(0, 1), (0, 2)])
        defer { for home in homes { home.remove() } }
        let (alice, ritaNode, bob) = (nodes[0], nodes[1], nodes[2])
        let park = try await alice.node.createGroup(name: "Park", isPublic: true)
        let group = try Self.groupID(park)
        _ = try await alice.node.post("welcome", to: "Park")
        for node in [ritaNode, bob] {
            try await node.waitUntilEvent { _ in (try? await node.node.discover().count) == 1 }
            _ = try await node.node.joinGroup(park.id)
        }
        try await alice.waitUntilEvent { _ in (try? await Self.state(alice, group).members.count) == 3 }
        let tip = try await Self.tip(ritaNode, in: group)
        let rita = ritaNode.node.identity.privateKey
        let ritaID = ritaNode.node.identity.nodeID
        await ritaNode.stop()
        try await alice.node.removeMember("Rita", from: "Park")
        try await bob.waitUntilEvent { _ in (try? await Self.state(bob, group).role(of: ritaID)) == .removed }

        let definition = try #require(try await Self.state(alice, group).definition)
        let longAgo = Date(timeIntervalSince1970: 1_600_000_000)
        let forged = try Self.forge(
            [
                (GroupRecord.ContentType.leave, GroupRecord.encode(GroupRecord.Leave(deps: tip.deps))),
                (GroupRecord.ContentType.post, GroupRecord.encode(GroupRecord.Post(text: "I never left"))),
                (
                    GroupRecord.ContentType.join,
                    GroupRecord.encode(GroupRecord.Join(definition, memberName: "Rita", deps: tip.deps))
                ),
                (GroupRecord.ContentType.post, GroupRecord.encode(GroupRecord.Post(text: "back again"))),
            ], after: tip, key: rita, dated: longAgo)
        for node in [alice, bob] {
            try await Self.deliver(forged, as: rita, to: node)
            #expect(try await Self.state(node, group).role(of: ritaID) == .removed)
            let texts = try await node.node.posts(in: park.id).compactMap(\.text)
            #expect(!texts.contains("I never left") && !texts.contains("back again"), "\(texts)")
            #expect(texts.contains("welcome"))
        }
        await alice.stop()
        await bob.stop()
    }

    /// Finding 6: an admin other than the creator invites a friend of its own, who knows
    /// nobody else in the group. The invitation cites the creator's feed; the invitee takes
    /// it from the admin who invited it, sees the invitation, joins and reads the group.
    @Test func anInvitationByANonCreatorAdminReachesItsInvitee() async throws {
        let (nodes, homes) = try await GroupTests.start(["Alice", "Fred", "Xavier"], pairs: [(0, 1), (1, 2)])
        defer { for home in homes { home.remove() } }
        let (alice, fred, xavier) = (nodes[0], nodes[1], nodes[2])
        let club = try await alice.node.createGroup(name: "Club", isPublic: false)
        let group = try Self.groupID(club)
        try await alice.node.invite("Fred", to: "Club")
        try await fred.waitUntilEvent { _ in (try? await fred.node.groups().first?.readable) == true }
        _ = try await fred.node.joinGroup(club.id)
        try await alice.waitUntilEvent { _ in (try? await Self.state(alice, group).members.count) == 2 }
        try await alice.node.promote("Fred", in: "Club")
        try await fred.waitUntilEvent { _ in
            (try? await Self.state(fred, group).isAdmin(fred.node.identity.nodeID)) == true
        }
        try await fred.node.invite("Xavier", to: "Club")
        try await xavier.waitUntilEvent { _ in
            (try? await xavier.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        _ = try await xavier.node.joinGroup(club.id)
        _ = try await alice.node.post("welcome, Xavier", to: "Club")
        try await xavier.waitUntilEvent { _ in
            (try? await xavier.node.posts(in: club.id).compactMap(\.text)) == ["welcome, Xavier"]
        }
        try await alice.waitUntilEvent { _ in
            (try? await Self.state(alice, group).role(of: xavier.node.identity.nodeID)) == .member
        }
        for node in nodes { await node.stop() }
    }
}
