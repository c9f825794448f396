import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetSync
import WeMeetTestSupport

/// Pairing on a simulated LAN: real `wemeet node` and `wemeet pair` processes, real avahi-daemons.
@Suite("Pairing on a simulated LAN", .timeLimit(.minutes(3)))
struct PairLANTests {
    /// Runs `wemeet pair ARGS… --home HOME` in the background.
    /// (On a thread of its own: a blocked process wait must not hold a concurrency thread.)
    static func press(_ home: String, _ arguments: String...) -> Task<CLIResult, any Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                Thread { continuation.resume(with: Result { try wemeet(["pair", "--home", home] + arguments) }) }
                    .start()
            }
        }
    }

    @Test func pressingTogetherMakesFriendsAndNothingElse() async throws {
        let lan = try SimulatedLAN(hosts: 3)
        let homes = try ["Alice", "Bob", "Carol"].map { try lan.makeHome($0) }
        let ids = try homes.map(nodeID)
        var nodes = try zip(["h1", "h2", "h3"], homes).map { try lan.startNode(on: $0, home: $1) }
        defer { for node in nodes { node.stop() } }
        try awaitEveryoneSeesEveryone(nodes, ids: ids)

        // Alice presses; Bob presses a moment later (once Alice's node has the press).
        let alice = Self.press(homes[0], "--yes")
        try nodes[0].awaitLine(containing: "pairing: pressed")
        let bob = Self.press(homes[1], "--yes")
        let (a, b) = try await (alice.value, bob.value)
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        #expect(
            a.stdout.contains("paired with Bob") && b.stdout.contains("paired with Alice"), "the result is on stdout")
        let aliceFriends = try friends(homes[0])
        let bobFriends = try friends(homes[1])
        #expect(aliceFriends.map(\.nodeID) == [ids[1]] && bobFriends.map(\.nodeID) == [ids[0]])
        #expect(aliceFriends.first?.code == bobFriends.first?.code)
        #expect(try friends(homes[2]).isEmpty)
        #expect(!nodes[2].log.contains { $0.contains("pairing: found") })

        // Carol alone: a clear timeout, nothing stored.
        let lone = try wemeet("pair", "--yes", "--window", "1", "--home", homes[2])
        #expect(lone.status == 1)
        #expect(lone.stderr.contains("no one else pressed pair within 1 s"))
        #expect(try friends(homes[2]).isEmpty)

        // All three at once (through the control API, so the presses land within milliseconds
        // of each other): nobody is paired silently …
        let together = try await withThrowingTaskGroup(of: NodeEvent.self) { group in
            for home in homes { group.addTask { try await pressViaAPI(home) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(together.allSatisfy { $0.type == .pairEnded }, "\(together)")
        #expect(together.allSatisfy { $0.detail?.contains("several people pressed at once") == true })
        #expect(try friends(homes[2]).isEmpty)
        // … but an explicit choice pairs exactly the chosen two.
        let chosen = try await withThrowingTaskGroup(of: (Int, NodeEvent).self) { group in
            group.addTask { (0, try await pressViaAPI(homes[0], with: ids[2].description)) }
            group.addTask { (1, try await pressViaAPI(homes[1])) }
            group.addTask { (2, try await pressViaAPI(homes[2], with: "Alice")) }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(chosen.sorted { $0.key < $1.key }.map(\.value.type) == [.pairPaired, .pairEnded, .pairPaired])
        #expect(chosen[0]?.code == chosen[2]?.code)
        #expect(Set(try friends(homes[0]).map(\.nodeID)) == [ids[1], ids[2]])
        #expect(try friends(homes[1]).map(\.nodeID) == [ids[0]])
        #expect(try friends(homes[2]).map(\.nodeID) == [ids[0]])

        // Restart Alice and Bob: still friends, and they reconnect by themselves.
        nodes[0].stop()
        nodes[1].stop()
        nodes[0] = try lan.startNode(on: "h1", home: homes[0])
        nodes[1] = try lan.startNode(on: "h2", home: homes[1])
        try nodes[0].awaitLine(containing: "peer connected", "peer=\(ids[1])")
        #expect(try friends(homes[1]).map(\.nodeID) == [ids[0]])
        let radar = try radar(homes[0])
        #expect(radar.nearby.first { $0.nodeID == ids[1] }?.friend == true)

        // Direct messages between the real processes: live, then caught up after a restart.
        let live = try await awaitEvent(homes[1], .dmReceived) {
            let sent = try wemeet("send", "Bob", "hello", "over", "the", "LAN", "--home", homes[0])
            #expect(sent.status == 0, "\(sent.stderr)")
        }
        #expect(live.detail == "hello over the LAN" && live.peer == ids[0])
        nodes[1].stop()
        for text in ["while you were away", "second"] {
            #expect(try wemeet("send", "Bob", text, "--home", homes[0]).status == 0)
        }
        #expect(try wemeet("send", "Nobody", "x", "--home", homes[0]).stderr.contains("no friend called Nobody"))
        _ = try await awaitEvent(homes[0], .dmStatus, matching: { $0.detail?.hasPrefix("delivered 3") == true }) {
            nodes[1] = try lan.startNode(on: "h2", home: homes[1])
        }
        let inbox = try wemeet("inbox", "--home", homes[1])
        #expect(inbox.stdout.contains("Alice (3 unread): Alice: second"), "\(inbox.stdout)")
        let history = try wemeet("messages", "Alice", "--json", "--home", homes[1])
        let texts = (try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
            .flatMap { $0["messages"] as? [[String: Any]] }?.compactMap { $0["text"] as? String }
        #expect(texts == ["hello over the LAN", "while you were away", "second"])
        #expect(try wemeet("inbox", "--home", homes[1]).stdout.contains("Alice: Alice: second"))

        // `wemeet chat` with stdin from a pipe: history first, then each line is sent.
        let replies = try await awaitEvent(homes[0], .dmReceived, matching: { $0.detail == "and a second line" }) {
            let chat = try wemeet(
                ["chat", "Alice", "--home", homes[1]], input: "a reply from chat\nand a second line\n")
            #expect(chat.status == 0, "\(chat.stderr)")
            #expect(chat.stdout.contains("Alice: while you were away"), "\(chat.stdout)")
        }
        #expect(replies.peer == ids[1])
        let aliceView = try wemeet("messages", "Bob", "--json", "--home", homes[0])
        #expect(aliceView.stdout.contains("a reply from chat"))
    }
}
