import Foundation
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetModel
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Names change (seams issue, item 7): one's own, and a friend's as its handshakes say it.
@Suite("Renaming", .stopsNodes, .timeLimit(.minutes(1)))
struct FriendRenameTests {
    /// A friend connecting under a new name is renamed — once an hour at most, so a friend
    /// reconnecting under names in turn cannot grow this node's store. The code stays.
    @Test func aFriendReconnectingUnderNewNamesIsRenamedAtMostOnceAnHour() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        let code = try #require(try await alice.node.friends().first?.code)
        try await bob.stop(seenBy: alice)
        let events = alice.node.events.subscribe()
        var peer = try await HostilePeer.connect(port: alice.port, key: bobKey, name: "Robert")
        for await event in events where event.type == .friendRenamed {
            #expect(event.name == "Robert")
            break
        }
        #expect(try await alice.node.friends().map(\.name) == ["Robert"])
        #expect(try await alice.node.friends().first?.code == code)
        let entries = await alice.node.status().entries
        for name in ["Mallory 1", "Mallory 2", "Mallory 3", "Mallory 4"] {
            await peer.close()
            peer = try await HostilePeer.connect(port: alice.port, key: bobKey, name: name)
            // Alice's node has handled the connection (a rename comes before sync starts).
            _ = await peer.sync { _ in true }
        }
        #expect(try await alice.node.friends().map(\.name) == ["Robert"])
        #expect(await alice.node.status().entries == entries, "the renames were written to the store")
        await peer.close()
        await alice.stop()
    }

    /// One's own new name is kept in the profile, shown in the status, and sent to friends:
    /// a friend that connects next shows it.
    @Test func aNewOwnNameIsKeptAndAFriendSeesItAtTheNextConnection() async throws {
        let network = InMemoryNetwork()
        let (alice, bob, homes) = try await DirectMessageTests.friends(network)
        defer { for home in homes { home.remove() } }
        #expect(try await alice.node.rename("  Ally  ") == "Ally")
        #expect(await alice.node.status().name == "Ally")
        #expect(try NodeIdentity.load(from: NodeHome(path: homes[0].path)).name == "Ally")
        await #expect(throws: NodeError.self) { try await alice.node.rename("   ") }
        try await bob.stop(seenBy: alice)
        let bobAgain = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        try await bobAgain.waitUntilEvent { _ in (try? await bobAgain.node.friends().map(\.name)) == ["Ally"] }
        await alice.stop()
        await bobAgain.stop()
    }
}
