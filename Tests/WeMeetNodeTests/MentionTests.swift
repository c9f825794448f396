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

/// @mentions in groups (client issue, §3; Protocol.md §10.2).
@Suite("Mentions", .stopsNodes, .timeLimit(.minutes(1)))
struct MentionTests {
    /// Alice and Bob in Alice's public group "Trail".
    static func members() async throws -> (RunningNode, RunningNode, GroupSummary, [TemporaryDirectory]) {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        let group = try await alice.node.createGroup(name: "Trail", isPublic: true)
        try await alice.node.invite("Bob", to: "Trail")
        try await bob.waitUntilEvent { _ in (try? await bob.node.groups().contains { $0.id == group.id }) == true }
        _ = try await bob.node.joinGroup(group.id)
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.group(group.id).1.contains { $0.name == "Bob" && $0.role == .member }) == true
        }
        return (alice, bob, group, homes)
    }

    /// Protocol.md §10.2's mention vector: the payload a writer emits.
    @Test func aPublicPostThatMentionsEncodesAsTheVector() throws {
        let post = GroupRecord.Post(
            text: "@Bob lunch?", mentions: ["HVABPQ7-IIOEVVB-EVXBKTU-2G36XSJ-OJQLGPF-3CJNDGZ-AZVK7CK-XUMYGA2"])
        #expect(
            String(decoding: GroupRecord.encode(post), as: UTF8.self)
                == #"{"mentions":["HVABPQ7-IIOEVVB-EVXBKTU-2G36XSJ-OJQLGPF-3CJNDGZ-AZVK7CK-XUMYGA2"],"text":"@Bob lunch?"}"#
        )
        let test2 = try Ed25519.PrivateKey(
            seed: SecureBytes(try Hex.decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")))
        #expect(post.mentions(NodeID(publicKey: test2.publicKey)))
    }

    /// A member mentioned by name is told (group.mention), one not mentioned is not, and a
    /// mention of someone who is not a member is refused with a reason.
    @Test func aMentionedMemberIsToldAndOnlyMembersCanBeMentioned() async throws {
        let (alice, bob, group, homes) = try await Self.members()
        defer { for home in homes { home.remove() } }
        let events = bob.node.events.subscribe()
        _ = try await alice.node.post("no mention here", to: group.id, attachments: [])
        _ = try await alice.node.post("@Bob lunch?", to: group.id, attachments: [], mentions: ["Bob"])
        var mentions: [String] = []
        for await event in events where event.type == .groupPost || event.type == .groupMention {
            if event.type == .groupMention { mentions.append(event.detail ?? "") }
            if event.type == .groupPost, event.detail == "@Bob lunch?" {
                break
            }
        }
        // The mention comes right after its post's event.
        for await event in events where event.type == .groupMention {
            mentions.append(event.detail ?? "")
            break
        }
        #expect(mentions == ["@Bob lunch?"])
        await #expect(throws: NodeError.self) {
            try await alice.node.post("@Carol?", to: group.id, attachments: [], mentions: ["Carol"])
        }
        await alice.stop()
        await bob.stop()
    }

    /// A member's posts with junk mentions — not a list, or more than 64 names — are shown,
    /// and mention nobody (crafted with Bob's key).
    @Test func junkAndOverlongMentionsMentionNobodyAndThePostStands() async throws {
        let (alice, bob, group, homes) = try await Self.members()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let groupID = try #require(GroupID(hex: group.id))
        let feed = Feed(author: bobKey.publicKey, kind: .group, audience: groupID.rawValue)
        let store = try await alice.node.running().store
        let aliceID = alice.node.identity.nodeID.description
        let mentionLists = [
            #""everyone""#, "[" + Array(repeating: "\"\(aliceID)\"", count: 65).joined(separator: ",") + "]",
            "[\"\(aliceID)\"]",
        ]
        let entries = try await store.nextEntries(
            of: feed, key: bobKey,
            mentionLists.enumerated().map {
                (GroupRecord.ContentType.post, #"{"mentions":\#($1),"text":"post \#($0)"}"#)
            })
        let events = alice.node.events.subscribe()
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
        var mentioned: [String] = []
        try await channel.executeThenClose { _, outbound in
            try await outbound.send(SyncMessage.entries(entries.map(\.encoded)).bytes)
            for await event in events where event.type == .groupMention {
                mentioned.append(event.detail ?? "")
                break
            }
        }
        // Only the last, a well-formed mention, told Alice; all three posts are shown.
        #expect(mentioned == ["post 2"])
        let texts = try await alice.node.posts(in: group.id).compactMap(\.text)
        #expect(texts.contains("post 0") && texts.contains("post 1") && texts.contains("post 2"), "\(texts)")
        await alice.stop()
    }
}
