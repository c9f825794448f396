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
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Pairing between in-process nodes on loopback, found through an in-memory discovery.
@Suite("Pairing (in-process)", .stopsNodes, .timeLimit(.minutes(1)))
struct PairingTests {
    @Test func twoPressesPairBothSidesWithTheSameCode() async throws {
        let (nodes, homes) = try await RunningNode.start(["Alice", "Bob", "Carol"], on: InMemoryNetwork())
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        async let a = RunningNode.press(alice)
        async let b = RunningNode.press(bob)
        let (ea, eb) = try await (a, b)
        #expect(ea.type == .pairPaired && eb.type == .pairPaired, "\(ea) \(eb)")
        #expect(ea.peer == bob.nodeID && eb.peer == alice.nodeID)
        #expect(ea.code == eb.code && ea.code?.count == 6)
        #expect(try await alice.node.friends().map(\.nodeID) == [bob.nodeID])
        #expect(try await bob.node.friends().map(\.name) == ["Alice"])
        #expect(try await carol.node.friends().isEmpty)
        #expect(await alice.node.radar().nearby.first { $0.nodeID == bob.nodeID }?.friend == true)

        // Friends are not candidates: pressing together again pairs nobody (the code stays);
        // unpairing is told to the other side.
        async let a2 = RunningNode.press(alice, window: .seconds(2))
        async let b2 = RunningNode.press(bob, window: .seconds(2))
        let (again, _) = try await (a2, b2)
        #expect(again.type == .pairEnded && again.detail?.contains("no one else pressed") == true, "\(again)")
        #expect(try await alice.node.friends().map(\.code) == [ea.code ?? ""])
        let bobEvents = bob.node.events.subscribe()
        _ = try await alice.node.unpair("Bob")
        #expect(try await alice.node.friends().isEmpty)
        for await event in bobEvents where event.type == .friendRemoved { break }
        #expect(try await bob.node.friends().isEmpty)
        for node in nodes { await node.stop() }
    }

    @Test func aFriendSeenAgainIsDialledUntilUnpaired() async throws {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await RunningNode.start(["Alice", "Bob"], on: network)
        defer { for home in homes { home.remove() } }
        async let a = RunningNode.press(nodes[0])
        async let b = RunningNode.press(nodes[1])
        _ = try await (a, b)
        await nodes[1].stop()
        let bob = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        // Alice sees Bob appear on the radar and dials him, because he is a friend.
        try await nodes[0].waitUntil { $0.dialing.contains { $0.nodeID == bob.nodeID && $0.state == .connected } }
        _ = try await nodes[0].node.unpair("Bob")
        #expect(await nodes[0].node.status().dialing.isEmpty, "Alice still dials Bob after unpairing")
        await nodes[0].stop()
        await bob.stop()
    }

    @Test func aLonePressEndsWithAClearMessageAndStoresNothing() async throws {
        let (nodes, homes) = try await RunningNode.start(["Alice", "Bob"], on: InMemoryNetwork())
        defer { for home in homes { home.remove() } }
        let ended = try await RunningNode.press(nodes[0], window: .seconds(1))
        #expect(ended.type == .pairEnded)
        #expect(ended.detail?.contains("no one else pressed pair within 1 s") == true)
        #expect(try await nodes[0].node.friends().isEmpty)
        #expect(try await nodes[0].node.pairingStatus().state == .ended)
        for node in nodes { await node.stop() }
    }

    @Test func threePressesPairNobodyUnlessTwoChooseEachOther() async throws {
        let (nodes, homes) = try await RunningNode.start(["Alice", "Bob", "Carol"], on: InMemoryNetwork())
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        async let a = RunningNode.press(alice)
        async let b = RunningNode.press(bob)
        async let c = RunningNode.press(carol)
        let results = try await [a, b, c]
        #expect(results.allSatisfy { $0.type == .pairEnded }, "\(results)")
        #expect(results.allSatisfy { $0.detail?.contains("several people pressed at once") == true })
        for node in nodes { #expect(try await node.node.friends().isEmpty) }

        // An explicit choice pairs exactly the chosen two.
        async let a2 = RunningNode.press(alice, target: carol.nodeID.description)
        async let b2 = RunningNode.press(bob)
        async let c2 = RunningNode.press(carol, target: "Alice")
        let (ea, eb, ec) = try await (a2, b2, c2)
        #expect(ea.type == .pairPaired && ec.type == .pairPaired && eb.type == .pairEnded)
        #expect(ea.code == ec.code)
        #expect(try await alice.node.friends().map(\.nodeID) == [carol.nodeID])
        #expect(try await bob.node.friends().isEmpty)
        for node in nodes { await node.stop() }
    }

    /// Mallory sits between Alice and Bob: Alice can only reach "Bob" (Mallory's first node)
    /// and Bob only "Alice" (her second). Both pairings complete, but the codes the honest
    /// people read out differ, so they can tell.
    @Test func aManInTheMiddleCannotMakeTheCodesAgree() async throws {
        let left = InMemoryNetwork()
        let right = InMemoryNetwork()
        let (leftNodes, leftHomes) = try await RunningNode.start(["Alice", "Bob"], on: left)
        let (rightNodes, rightHomes) = try await RunningNode.start(["Alice", "Bob"], on: right)
        defer { for home in leftHomes + rightHomes { home.remove() } }
        let (alice, malloryAsBob) = (leftNodes[0], leftNodes[1])
        let (malloryAsAlice, bob) = (rightNodes[0], rightNodes[1])
        async let a = RunningNode.press(alice)
        async let m1 = RunningNode.press(malloryAsBob)
        async let m2 = RunningNode.press(malloryAsAlice)
        async let b = RunningNode.press(bob)
        let (ea, _, _, eb) = try await (a, m1, m2, b)
        #expect(ea.type == .pairPaired && eb.type == .pairPaired, "\(ea) \(eb)")
        #expect(ea.name == "Bob" && eb.name == "Alice")
        #expect(ea.code != eb.code, "a relay matched the codes (probability 1e-6): \(ea.code ?? "")")
        #expect(ea.peer != bob.nodeID && eb.peer != alice.nodeID)
        for node in leftNodes + rightNodes { await node.stop() }
    }

    @Test func aRevealThatDoesNotMatchItsCommitmentIsRejected() {
        let h = Random.bytes(count: 32)
        let nonce = Random.bytes(count: 32)
        let commitment = PairingCode.commitment(handshakeHash: h, nonce: nonce)
        #expect(PairingCode.commitment(handshakeHash: h, nonce: Random.bytes(count: 32)) != commitment)
        #expect(PairingCode.commitment(handshakeHash: Random.bytes(count: 32), nonce: nonce) != commitment)
    }

    /// The vector in Protocol.md §6.4.
    @Test func codeVector() {
        let h = [UInt8](repeating: 0x11, count: 64)  // the handshake hash is BLAKE2b's 64 bytes
        let ni = [UInt8](repeating: 0x22, count: 32)
        let nr = [UInt8](repeating: 0x33, count: 32)
        #expect(Hex.encode(PairingCode.commitment(handshakeHash: h, nonce: ni)) == PairingCodeVector.commitment)
        let code = PairingCode.code(handshakeHash: h, initiatorNonce: ni, responderNonce: nr)
        #expect(code.count == 6 && code.allSatisfy(\.isNumber))
        #expect(code == PairingCodeVector.code)
        #expect(PairingCode.display("482913") == "482 913")
    }

    @Test(
        "malformed pairing messages are rejected with a reason",
        arguments: [
            ([], "empty"), ([0x01], "hello"), ([0x01, 2], "hello"), ([0x02] + [UInt8](repeating: 0, count: 31), "32"),
            ([0x03] + [UInt8](repeating: 0, count: 33), "32"), ([0x04, 0], "no body"), ([0x05, 99], "reason"),
            ([0x0F], "unknown type"),
        ] as [([UInt8], String)])
    func malformedMessages(bytes: [UInt8], reason: String) {
        #expect {
            _ = try PairMessage(bytes: bytes)
        } throws: { error in
            (error as? NodeError)?.code == .protocolViolation && "\(error)".contains(reason)
        }
    }

    @Test func messagesRoundTrip() throws {
        let messages: [PairMessage] = [
            .hello(pressing: true), .hello(pressing: false), .commit(Array(repeating: 7, count: 32)),
            .reveal(Array(repeating: 9, count: 32)), .confirm, .decline(.severalPressed), .unpaired,
        ]
        for message in messages { #expect(try PairMessage(bytes: message.bytes) == message) }
    }
}
