import Foundation
import NIOCore
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
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// What a node relaying or watching the wire sees of a direct message.
@Suite("Direct messages on the wire", .stopsNodes, .timeLimit(.minutes(1)))
struct DirectMessageCaptureTests {
    @Test func theBytesOnTheWireHoldNoPlaintext() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        await alice.stop()
        await bob.stop()
        // Again without discovery; Bob reaches Alice only through the tap.
        let alice2 = try await RunningNode.start(home: homes[0].path, name: "Alice")
        let tap = try TCPTap(forwardingTo: alice2.port)
        defer { tap.stop() }
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", peers: [tap.port])
        try await RunningNode.waitUntil(alice2, bob2) { a, b in a.sync.count == 1 && b.sync.count == 1 }
        let secret = "the eagle lands at midnight, bring the blue umbrella"
        let received = bob2.node.events.subscribe()
        _ = try await alice2.node.sendMessage(to: "Bob", text: secret)
        for await event in received where event.type == .dmReceived {
            #expect(event.detail == secret)
            break
        }
        let wire = tap.bytes
        #expect(wire.count > 200)
        for needle in [secret, "eagle", "umbrella"] {
            #expect(!Self.contains(wire, Array(needle.utf8)), "\"\(needle)\" appears on the wire")
        }
        await alice2.stop()
        await bob2.stop()
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}
