import Foundation
import Testing
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetModel
import WeMeetStore
import WeMeetTestSupport

@testable import WeMeetNode

/// Remarks, mute and pin (client issue, §3): the user's own, on this node only.
@Suite("Remarks, mute and pin", .stopsNodes, .timeLimit(.minutes(1)))
struct ChatPreferenceTests {
    /// A remark names a friend on this node (and finds it wherever a friend is named), mute
    /// and pin are kept, all survive a restart, and none of it ever reaches the friend.
    @Test func aRemarkMuteAndPinAreKeptFindTheFriendAndNeverLeaveTheNode() async throws {
        let network = InMemoryNetwork()
        let (alice, bob, homes) = try await DirectMessageTests.friends(network)
        defer { for home in homes { home.remove() } }
        let set = try await alice.node.setPreference(
            friend: "Bob", ChatPreferenceChange(remark: "  Bobby 老板 ", muted: true, pinned: true))
        #expect(
            set
                == ChatPreference(
                    chat: bob.node.identity.nodeID.description, remark: "Bobby 老板", muted: true, pinned: true))
        let friend = try #require(try await alice.node.friends().first)
        #expect(friend.name == "Bob" && friend.remark == "Bobby 老板" && friend.muted == true && friend.pinned == true)
        // The remark finds him: a message to "Bobby 老板" is a message to Bob.
        let sent = try await alice.node.sendMessage(to: "Bobby 老板", text: "hi")
        #expect(sent.friend == bob.node.identity.nodeID)
        let inbox = try await alice.node.inbox()
        #expect(inbox.first?.remark == "Bobby 老板" && inbox.first?.pinned == true && inbox.first?.muted == true)
        // Bad remarks are refused with a reason, and change nothing.
        for bad in [String(repeating: "x", count: 65), "Bob\u{7}by"] {
            await #expect(throws: NodeError.self) {
                try await alice.node.setPreference(friend: "Bob", ChatPreferenceChange(remark: bad))
            }
        }
        #expect(try await alice.node.friends().first?.remark == "Bobby 老板")
        // Bob's node holds nothing of it: Alice's control feed is never served.
        let control = Feed(author: alice.node.identity.nodeID.publicKey, kind: .control).id
        try await bob.waitUntilEvent { _ in (try? await bob.node.messages(with: "Alice").count) == 1 }
        #expect(try await bob.node.feedHeads()[control] == nil)
        // After a restart: all kept; an empty remark removes it.
        try await alice.stop(seenBy: bob)
        let again = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: network)
        let kept = try #require(try await again.node.friends().first)
        #expect(kept.remark == "Bobby 老板" && kept.muted == true && kept.pinned == true)
        _ = try await again.node.setPreference(friend: "Bobby 老板", ChatPreferenceChange(remark: "", muted: false))
        let now = try #require(try await again.node.friends().first)
        #expect(now.remark == nil && now.muted == false && now.pinned == true)
        await again.stop()
        await bob.stop()
    }

    /// Groups are muted and pinned (pinned ones listed first) but take no remark.
    @Test func aPinnedGroupIsListedFirstAndAGroupTakesNoRemark() async throws {
        let (nodes, homes) = try await RunningNode.start(["Alice"], on: InMemoryNetwork())
        defer { for home in homes { home.remove() } }
        let alice = nodes[0]
        _ = try await alice.node.createGroup(name: "Hikers", isPublic: false)
        _ = try await alice.node.createGroup(name: "Book Club", isPublic: false)
        let pinned = try await alice.node.setPreference(
            group: "Book Club", ChatPreferenceChange(muted: true, pinned: true))
        #expect(pinned.chat.hasPrefix("group:") && pinned.muted && pinned.pinned)
        let groups = try await alice.node.groups()
        #expect(groups.first?.name == "Book Club" && groups.first?.pinned == true && groups.first?.muted == true)
        await #expect(throws: NodeError.self) {
            try await alice.node.setPreference(group: "Hikers", ChatPreferenceChange(remark: "Walkers"))
        }
        await alice.stop()
    }
}
