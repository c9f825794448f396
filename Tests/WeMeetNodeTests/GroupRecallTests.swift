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

/// Recall (撤回) in groups (client issue, §3; Protocol.md §10.2): within 2 minutes, by each
/// node's own clock; only the author, only its own post.
@Suite("Recalling a group post", .stopsNodes, .timeLimit(.minutes(1)))
struct GroupRecallTests {
    /// Alice and Bob in Alice's group "Trail" (public or private), each with a clock the test moves.
    static func members(
        isPublic: Bool = true
    ) async throws -> (
        RunningNode, RunningNode, GroupSummary, ManualArrivalClock, ManualArrivalClock, [TemporaryDirectory]
    ) {
        let (alice, bob, aliceClock, bobClock, homes) = try await RecallTests.friends()
        let group = try await alice.node.createGroup(name: "Trail", isPublic: isPublic)
        try await alice.node.invite("Bob", to: "Trail")
        try await bob.waitUntilEvent { _ in (try? await bob.node.groups().contains { $0.id == group.id }) == true }
        _ = try await bob.node.joinGroup(group.id)
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.group(group.id).1.contains { $0.name == "Bob" && $0.role == .member }) == true
        }
        return (alice, bob, group, aliceClock, bobClock, homes)
    }

    /// The recall vector (§10.2): the payload a writer emits.
    @Test func aRecallEncodesAsTheVector() {
        let recall = GroupRecord.Recall(id: String(repeating: "1", count: 64), seq: 3)
        #expect(
            String(decoding: GroupRecord.encode(recall), as: UTF8.self)
                == #"{"id":"1111111111111111111111111111111111111111111111111111111111111111","seq":3}"#)
    }

    /// Bob recalls his post in a private group within the window: both sides show it
    /// recalled, after a restart too; past the window his node refuses; never Alice's post.
    @Test(arguments: [false, true])
    func bobRecallsAPostWithinTwoMinutesAndIsRefusedAfter(isPublic: Bool) async throws {
        let (alice, bob, group, _, bobClock, homes) = try await Self.members(isPublic: isPublic)
        defer { for home in homes { home.remove() } }
        let oops = try await bob.node.post("wrong group, sorry", to: group.id, attachments: [])
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.posts(in: group.id).contains { $0.id == oops.id }) == true
        }
        let recalls = alice.node.events.subscribe()
        bobClock.advance(by: .seconds(100))
        let recalled = try await bob.node.recallPost(oops.id, in: group.id)
        #expect(recalled.recalled == true && recalled.text == "")
        for await event in recalls where event.type == .groupRecalled {
            #expect(event.detail == oops.id && event.group == group.id)
            break
        }
        let seen = try #require(try await alice.node.posts(in: group.id).first { $0.id == oops.id })
        #expect(seen.recalled == true && seen.text == "" && seen.attachments == nil)
        let late = try await bob.node.post("kept", to: group.id, attachments: [])
        bobClock.advance(by: .seconds(121))
        do {
            _ = try await bob.node.recallPost(late.id, in: group.id)
            Issue.record("a recall past the window was sent")
        } catch {
            #expect(error.message.contains("within 2 minutes"), "\(error.message)")
        }
        let hers = try await alice.node.post("mine", to: group.id, attachments: [])
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.posts(in: group.id).contains { $0.id == hers.id }) == true
        }
        await #expect(throws: NodeError.self) { try await bob.node.recallPost(hers.id, in: group.id) }
        await alice.stop()
        await RunningNode.waitUntilStoreIsFree(home: homes[0].path)
        let again = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: InMemoryNetwork())
        #expect(try await again.node.posts(in: group.id).first { $0.id == oops.id }?.recalled == true)
        await again.stop()
        await bob.stop()
    }

    /// Hostile recalls (attacker test, crafted with Bob's key): one arriving 3 minutes after
    /// the post by Alice's clock (though dated a second after it), one naming Alice's post, one
    /// naming a later seq, one naming Bob's own join record. None hides anything.
    @Test func aRecallPastTheReadersWindowOrOfAnotherPostIsIgnored() async throws {
        let (alice, bob, group, aliceClock, _, homes) = try await Self.members()
        defer { for home in homes { home.remove() } }
        let hers = try await alice.node.post("my own words", to: group.id, attachments: [])
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let groupID = try #require(GroupID(hex: group.id))
        let feed = Feed(author: bobKey.publicKey, kind: .group, audience: groupID.rawValue)
        let store = try await alice.node.running().store
        let join = try #require(try await store.entries(of: feed.id, seqs: 1...1).first)
        /// Sends Bob's next entries; waits until Alice shows the post `last` (the entries
        /// before it were handled in order).
        func send(
            _ bodies: [(UInt16, String)], last: String, at timestamp: UInt64 = 1_700_000_000_000
        ) async throws -> [Entry] {
            let entries = try await store.nextEntries(of: feed, key: bobKey, bodies, timestamp: timestamp)
            let channel = try await SecureChannel.connect(
                host: "127.0.0.1", port: alice.port,
                credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
            try await channel.executeThenClose { _, outbound in
                try await outbound.send(SyncMessage.entries(entries.map(\.encoded)).bytes)
                try await alice.waitUntilEvent { _ in
                    (try? await alice.node.posts(in: group.id).contains { $0.text == last }) == true
                }
            }
            return entries
        }
        let said = try await send([(GroupRecord.ContentType.post, #"{"text":"said"}"#)], last: "said")[0]
        // Three minutes later by Alice's clock, a recall dated a second after the post.
        aliceClock.advance(by: .seconds(180))
        let recall = GroupRecord.ContentType.recall
        _ = try await send(
            [
                (recall, #"{"id":"\#(said.id)","seq":\#(said.seq)}"#),
                (recall, #"{"id":"\#(hers.id)","seq":\#(hers.seq)}"#),
                (recall, #"{"id":"\#(said.id)","seq":\#(said.seq + 9)}"#),
                (recall, #"{"id":"\#(join.id)","seq":1}"#),
                (GroupRecord.ContentType.post, #"{"text":"done"}"#),
            ], last: "done", at: 1_700_000_001_000)
        let shown = try await alice.node.posts(in: group.id)
        #expect(shown.first { $0.id == said.id.description }?.text == "said", "a late recall was honoured")
        #expect(shown.first { $0.id == hers.id }?.text == "my own words")
        #expect(shown.allSatisfy { $0.recalled == nil })
        await alice.stop()
    }
}
