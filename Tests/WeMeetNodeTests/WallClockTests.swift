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

/// Each node takes its own clock (for the attacker tests of skewed clocks, without faketime):
/// what it writes carries that clock's time, and nothing else about the node changes.
@Suite("A clock per node", .stopsNodes, .timeLimit(.minutes(1)))
struct WallClockTests {
    @Test func aNodeTenYearsAheadWritesItsOwnTimeAndStillTalksToAnHonestOne() async throws {
        let network = InMemoryNetwork()
        let homes = try (0..<2).map { _ in try TemporaryDirectory() }
        defer { for home in homes { home.remove() } }
        let tenYears: TimeInterval = 10 * 365 * 86_400
        let ahead = try await RunningNode.start(
            home: homes[0].path, name: "Future", discovery: network, clock: .skewed(by: tenYears))
        let honest = try await RunningNode.start(home: homes[1].path, name: "Now", discovery: network)
        for node in [ahead, honest] { try await node.waitUntilRadar { $0.nearby.count == 1 } }
        async let a = RunningNode.press(ahead)
        async let b = RunningNode.press(honest)
        let (ea, eb) = try await (a, b)
        try #require(ea.type == .pairPaired && eb.type == .pairPaired)
        let sent = try await ahead.node.sendMessage(to: "Now", text: "from the future")
        try await honest.waitUntilEvent { _ in (try? await honest.node.messages(with: "Future").count) == 1 }
        let received = try #require(try await honest.node.messages(with: "Future").first)
        #expect(abs(received.sentAt.timeIntervalSinceNow - tenYears) < 60, "\(received.sentAt)")
        #expect(received.sentAt == sent.sentAt)
        let reply = try await honest.node.sendMessage(to: "Future", text: "from now")
        #expect(abs(reply.sentAt.timeIntervalSinceNow) < 60)
        await ahead.stop()
        await honest.stop()
    }

    /// Group-authority issue, finding 7: a friend whose clock is a year behind cannot slip a
    /// message into the past of the conversation. It is shown where it arrived, and a reader
    /// following the conversation with `after` (the last message ID it saw) gets it.
    @Test func aBackdatedMessageLandsWhereItArrivedAndACursorNeverMissesIt() async throws {
        let network = InMemoryNetwork()
        let homes = try (0..<2).map { _ in try TemporaryDirectory() }
        defer { for home in homes { home.remove() } }
        let alice = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: network)
        let bob = try await RunningNode.start(
            home: homes[1].path, name: "Bob", discovery: network, clock: .skewed(by: -365 * 86_400))
        for node in [alice, bob] { try await node.waitUntilRadar { $0.nearby.count == 1 } }
        try await QuotaAttackTests.pair(alice, bob)
        let hello = try await alice.node.sendMessage(to: "Bob", text: "are you there?")
        try await bob.waitUntilEvent { _ in (try? await bob.node.messages(with: "Alice").count) == 1 }
        _ = try await bob.node.sendMessage(to: "Alice", text: "yes, a year ago")
        try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 2 }
        let conversation = try await alice.node.messages(with: "Bob")
        #expect(conversation.map(\.text) == ["are you there?", "yes, a year ago"])
        #expect(conversation[1].sentAt < conversation[0].sentAt, "the claim is shown as it was made")
        let next = try await alice.node.messages(with: "Bob", after: hello.id)
        #expect(next.map(\.text) == ["yes, a year ago"])
        // Filtering by the senders' clocks is what misses it (documented as such).
        #expect(try await alice.node.messages(with: "Bob", since: hello.sentAt).isEmpty)
        await #expect(throws: NodeError.self) {
            _ = try await alice.node.messages(with: "Bob", after: String(repeating: "0", count: 64))
        }
        await alice.stop()
        await bob.stop()
    }
}
