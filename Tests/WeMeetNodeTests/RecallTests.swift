import Foundation
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetMessaging
import WeMeetModel
import WeMeetProcess
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Recall (撤回, client issue §3; Protocol.md §9.2): within 2 minutes, by each node's own
/// clock; only the author, only its own message.
@Suite("Recalling a message", .stopsNodes, .timeLimit(.minutes(1)))
struct RecallTests {
    /// Alice and Bob, friends, each with an arrival clock the test moves.
    static func friends() async throws -> (
        RunningNode, RunningNode, ManualArrivalClock, ManualArrivalClock, [TemporaryDirectory]
    ) {
        let network = InMemoryNetwork()
        let homes = [try TemporaryDirectory(), try TemporaryDirectory()]
        let clocks = [ManualArrivalClock(), ManualArrivalClock()]
        let alice = try await RunningNode.start(
            home: homes[0].path, name: "Alice", discovery: network, arrivalClock: clocks[0].clock)
        let bob = try await RunningNode.start(
            home: homes[1].path, name: "Bob", discovery: network, arrivalClock: clocks[1].clock)
        try await RunningNode.waitUntilEvent([alice, bob]) {
            let seenByAlice = await alice.node.radar().nearby.count
            let seenByBob = await bob.node.radar().nearby.count
            return seenByAlice == 1 && seenByBob == 1
        }
        async let a = RunningNode.press(alice)
        async let b = RunningNode.press(bob)
        let (ea, eb) = try await (a, b)
        try #require(ea.type == .pairPaired && eb.type == .pairPaired)
        return (alice, bob, clocks[0], clocks[1], homes)
    }

    /// Bob recalls a message within the window: both sides show it recalled, for good; past
    /// the window his own node refuses, with a reason.
    @Test func bobRecallsWithinTwoMinutesAndIsRefusedAfter() async throws {
        let (alice, bob, _, bobClock, homes) = try await Self.friends()
        defer { for home in homes { home.remove() } }
        let oops = try await bob.node.sendMessage(to: "Alice", text: "the wrong chat, sorry")
        try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 1 }
        let recalls = alice.node.events.subscribe()
        bobClock.advance(by: .seconds(100))
        let recalled = try await bob.node.recall(oops.id, with: "Alice")
        #expect(recalled.recalled == true && recalled.text.isEmpty)
        for await event in recalls where event.type == .dmRecalled {
            #expect(event.detail == oops.id)
            break
        }
        let seen = try #require(try await alice.node.messages(with: "Bob").first)
        #expect(seen.recalled == true && seen.text.isEmpty && seen.id == oops.id)
        // Past the window: refused by Bob's own node.
        let late = try await bob.node.sendMessage(to: "Alice", text: "kept")
        bobClock.advance(by: .seconds(121))
        do {
            _ = try await bob.node.recall(late.id, with: "Alice")
            Issue.record("a recall past the window was sent")
        } catch {
            #expect(error.message.contains("within 2 minutes"), "\(error.message)")
        }
        // Only one's own messages.
        let hers = try await alice.node.sendMessage(to: "Bob", text: "mine")
        await #expect(throws: NodeError.self) { try await bob.node.recall(hers.id, with: "Alice") }
        // Kept across a restart.
        await alice.stop()
        await RunningNode.waitUntilStoreIsFree(home: homes[0].path)
        let again = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: InMemoryNetwork())
        #expect(try await again.node.messages(with: "Bob").first?.recalled == true)
        await again.stop()
        await bob.stop()
    }

    /// A friend's recall is judged by the reader's clock, not the friend's timestamps: one
    /// arriving 3 minutes after the message (though dated a second after it) is ignored; one
    /// naming a message that is not the friend's own, or a later seq, is ignored too.
    @Test func aRecallPastTheReadersWindowOrOfAnotherMessageIsIgnored() async throws {
        let (alice, bob, aliceClock, _, homes) = try await Self.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        let aliceID = alice.node.identity.nodeID
        try await bob.stop(seenBy: alice)
        let hers = try await alice.node.sendMessage(to: "Bob", text: "my own words")
        let feed = Feed(author: bobKey.publicKey, kind: .direct, audience: aliceID.publicKey.rawRepresentation)
        let cipher = try DirectCipher(own: bobKey, other: aliceID.publicKey, outgoing: true)
        var entries: [Entry] = []
        func add(_ plaintext: [UInt8]) throws {
            let entry = try Entry(
                feed: feed, seq: UInt64(entries.count + 1), previous: entries.last?.id ?? .zero,
                timestamp: 1_700_000_000_000 + UInt64(entries.count) * 1000, contentType: DirectMessages.contentType,
                payload: cipher.seal(plaintext), signedBy: bobKey)
            entries.append(entry)
        }
        func recall(seq: UInt64, id: String) throws -> [UInt8] {
            var body: [UInt8] = [DirectMessages.Kind.recall.rawValue]
            withUnsafeBytes(of: seq.bigEndian) { body += $0 }
            return body + (try Hex.decode(id))
        }
        try add([DirectMessages.Kind.message.rawValue] + Array("said".utf8))
        /// Sends `range` of the crafted entries; waits until Alice shows the message `last`
        /// (the entries before it were handled in order).
        func send(_ range: Range<Int>, last: String) async throws {
            let channel = try await SecureChannel.connect(
                host: "127.0.0.1", port: alice.port,
                credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
            try await channel.executeThenClose { _, outbound in
                try await outbound.send(SyncMessage.entries(entries[range].map(\.encoded)).bytes)
                try await alice.waitUntilEvent { _ in
                    (try? await alice.node.messages(with: "Bob").contains { $0.text == last }) == true
                }
            }
        }
        try await send(0..<1, last: "said")
        // Three minutes later by Alice's clock, a recall dated a second after the message.
        aliceClock.advance(by: .seconds(180))
        try add(try recall(seq: 1, id: entries[0].id.description))
        // A recall of Alice's own message (by its ID and seq), and one of a later seq.
        try add(try recall(seq: 1, id: hers.id))
        try add(try recall(seq: 9, id: entries[0].id.description))
        try add([DirectMessages.Kind.message.rawValue] + Array("done".utf8))
        try await send(1..<5, last: "done")
        let shown = try await alice.node.messages(with: "Bob")
        #expect(shown.first { $0.id == entries[0].id.description }?.text == "said", "a late recall was honoured")
        #expect(shown.first { $0.id == hers.id }?.text == "my own words")
        #expect(shown.allSatisfy { $0.recalled == nil })
        await alice.stop()
    }
}
