import Foundation
import Logging
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetModel
import WeMeetProcess
import WeMeetStore
import WeMeetSync

/// A member cannot make everyone's fold slow (Protocol.md §10.3): Mallory, a member with
/// valid keys, pushes 5,000 valid membership records into a public group; the fold reads the
/// first 4,096 of her feed, and posts that arrive afterwards fold nothing — unless a waiting
/// record cited them.
@Suite("Group fold cost under a record flood", .timeLimit(.minutes(2)))
struct GroupFoldCostTests {
    @Test func aMembersFloodOfRecordsIsCappedAndPostsDoNotRefold() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let creator = Ed25519.PrivateKey()
        let store = try Store(directory: directory.path + "/store", logger: quiet)
        let groups = try await Groups(
            key: creator, name: "Ann", store: store, friends: try await FriendBook(store: store, key: creator),
            growth: FeedGrowth(), policyChanges: PolicyChanges(), events: EventHub(), logger: quiet)
        let summary = try await groups.create(name: "Open", isPublic: true)
        let group = try #require(GroupID(hex: summary.id))
        let definition = try #require(await groups.states[group]?.definition)
        let ann = NodeID(publicKey: creator.publicKey).description
        let peer = PeerInfo(
            nodeID: NodeID(publicKey: creator.publicKey), displayName: "x", protocolVersion: 1, handshakeHash: [],
            isInitiator: false, remoteAddress: "test")
        func feed(_ key: Ed25519.PrivateKey) -> Feed {
            Feed(author: key.publicKey, kind: .group, audience: group.rawValue)
        }
        func join(_ name: String, deps: GroupRecord.Citations) -> (contentType: UInt16, payload: [UInt8]) {
            (
                GroupRecord.ContentType.join,
                GroupRecord.encode(GroupRecord.Join(definition, memberName: name, deps: deps))
            )
        }
        func post(_ text: String) -> (contentType: UInt16, payload: [UInt8]) {
            (GroupRecord.ContentType.post, GroupRecord.encode(GroupRecord.Post(text: text)))
        }

        // Mallory: 5,000 valid records, joining and leaving in turn, ending a member.
        let mallory = Ed25519.PrivateKey()
        let flood = (0..<5_001).map { i in
            i % 2 == 0
                ? join("Mallory", deps: [ann: 1])
                : (GroupRecord.ContentType.leave, GroupRecord.encode(GroupRecord.Leave(deps: [ann: 1])))
        }
        var entries: [Entry] = []
        for start in stride(from: 0, to: flood.count, by: 512) {
            entries += try await store.append(
                to: feed(mallory), contents: Array(flood[start..<min(flood.count, start + 512)]), key: mallory)
        }
        await groups.ingested(entries, from: peer)
        let malloryID = NodeID(publicKey: mallory.publicKey)
        let folded = await groups.operations[group]?.filter { $0.author == malloryID }.count
        #expect(folded == GroupState.maximumRecordsPerAuthor, "the fold reads \(folded ?? 0) of her records")

        // Bob joins; his record cites Mallory's feed up to a seq not held yet: it waits.
        let bob = Ed25519.PrivateKey()
        let bobID = NodeID(publicKey: bob.publicKey)
        let bobJoin = try await store.append(
            to: feed(bob), contents: [join("Bob", deps: [ann: 1, malloryID.description: 5_003])], key: bob)
        await groups.ingested(bobJoin, from: peer)
        #expect(await groups.states[group]?.role(of: bobID) == nil)

        // A post at seq 5,002: below what Bob's record waits for, so nothing is folded for it.
        let before = await groups.folds
        await groups.ingested(
            try await store.append(to: feed(mallory), contents: [post("early")], key: mallory), from: peer)
        #expect(await groups.folds == before)
        let afterTwo = await groups.folds
        // Seq 5,003 is what Bob's join cited: it is folded once, and Bob is in.
        let cited = try await store.append(to: feed(mallory), contents: [post("the cited one")], key: mallory)
        await groups.ingested(cited, from: peer)
        #expect(await groups.folds == afterTwo + 1)
        #expect(await groups.states[group]?.role(of: bobID) == .member)
        // From now on, nothing waits: twenty more posts fold nothing.
        let settled = await groups.folds
        for i in 0..<20 {
            await groups.ingested(
                try await store.append(to: feed(mallory), contents: [post("more \(i)")], key: mallory), from: peer)
        }
        let refolds = await groups.folds - settled
        #expect(refolds == 0, "posts folded the group \(refolds) times")
        // And what Ann's next record cites is Mallory's head, posts included.
        #expect(await groups.citations(group)[malloryID.description] == 5_023)
    }
}
