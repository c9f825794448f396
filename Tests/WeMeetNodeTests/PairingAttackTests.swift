import Foundation
import Testing
import WeMeetChannel
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

/// Attacks on pairing (Protocol.md §6) by a hostile peer with valid keys, against real nodes
/// on loopback.
@Suite("Pairing attacks (hostile peer)", .stopsNodes, .timeLimit(.minutes(2)))
struct PairingAttackTests {
    /// Collects a node's pairing events until its press ends.
    static func pressOutcome(_ node: RunningNode, _ events: AsyncStream<NodeEvent>) async -> [NodeEvent] {
        var seen: [NodeEvent] = []
        for await event in events where event.type.family == .pair {
            seen.append(event)
            if event.type == .pairPaired || event.type == .pairEnded { break }
        }
        return seen
    }

    /// Finds a nonce that makes `code(h, nonce, responderNonce)` equal `target`, as Mallory
    /// does (about 10⁶ hashes), on both cores.
    static func searchNonce(handshakeHash: [UInt8], responderNonce: [UInt8], target: String) async -> [UInt8] {
        await withTaskGroup(of: [UInt8]?.self) { group in
            for lane in 0..<2 {
                group.addTask {
                    var nonce = Random.bytes(count: 32)
                    nonce[0] = UInt8(lane)
                    var counter: UInt64 = 0
                    while !Task.isCancelled {
                        counter += 1
                        withUnsafeBytes(of: counter) { nonce.replaceSubrange(1..<9, with: $0) }
                        let code = PairingCode.code(
                            handshakeHash: handshakeHash, initiatorNonce: nonce, responderNonce: responderNonce)
                        if code == target { return nonce }
                    }
                    return nil
                }
            }
            let found = await group.first { $0 != nil } ?? nil
            group.cancelAll()
            return found ?? []
        }
    }

    /// Mallory relays between Alice and Bob, who both press: she completes an honest exchange
    /// with Bob, then — after Alice revealed — sends Alice a second COMMIT for a nonce searched
    /// so that Alice's code equals Bob's. The node must refuse the second COMMIT.
    @Test func aRelayNeverGetsTwoMatchingCodes() async throws {
        let homes = try (0..<2).map { _ in try TemporaryDirectory() }
        defer { for home in homes { home.remove() } }
        // No discovery: Alice and Bob cannot see each other, only Mallory reaches both.
        let alice = try await RunningNode.start(home: homes[0].path, name: "Alice")
        let bob = try await RunningNode.start(home: homes[1].path, name: "Bob")
        let aliceEvents = alice.node.events.subscribe()
        let bobEvents = bob.node.events.subscribe()
        async let aliceOutcome = Self.pressOutcome(alice, aliceEvents)
        async let bobOutcome = Self.pressOutcome(bob, bobEvents)
        _ = try await alice.node.pair(window: .seconds(12), interactive: false, target: nil)
        _ = try await bob.node.pair(window: .seconds(12), interactive: false, target: nil)

        let mallory = Ed25519.PrivateKey()
        let toBob = try await HostilePeer.connect(port: bob.port, key: mallory, name: "Alice")
        let toAlice = try await HostilePeer.connect(port: alice.port, key: mallory, name: "Bob")

        // Channel 2, with Bob: an honest exchange; Mallory dialled, so her nonce is n_initiator.
        let bobNonceForMallory = Random.bytes(count: 32)
        try await toBob.send(.hello(pressing: true))
        try await toBob.send(
            .commit(PairingCode.commitment(handshakeHash: toBob.node.handshakeHash, nonce: bobNonceForMallory)))
        let nB = try #require(await toBob.pairing { if case .reveal(let n) = $0 { n } else { nil } })
        try await toBob.send(.reveal(bobNonceForMallory))
        let codeB = PairingCode.code(
            handshakeHash: toBob.node.handshakeHash, initiatorNonce: bobNonceForMallory, responderNonce: nB)

        // Channel 1, with Alice: commit to anything, wait for Alice's reveal, then commit again.
        try await toAlice.send(.hello(pressing: true))
        try await toAlice.send(
            .commit(PairingCode.commitment(handshakeHash: toAlice.node.handshakeHash, nonce: Random.bytes(count: 32))))
        let nA = try #require(await toAlice.pairing { if case .reveal(let n) = $0 { n } else { nil } })
        let chosen = await Self.searchNonce(
            handshakeHash: toAlice.node.handshakeHash, responderNonce: nA, target: codeB)
        try #require(chosen.count == 32)
        try await toAlice.send(
            .commit(PairingCode.commitment(handshakeHash: toAlice.node.handshakeHash, nonce: chosen)))
        try await toAlice.send(.reveal(chosen))

        // Alice either refuses (the rule) or, without it, shows the code and confirms Mallory.
        let answer = await toAlice.pairing { message -> PairMessage? in
            switch message {
            case .decline, .confirm: message
            default: nil
            }
        }
        if answer == .confirm {
            // The attack worked: Mallory confirms both and becomes everyone's friend.
            try await toAlice.send(.confirm)
            try await toBob.send(.confirm)
        }
        #expect(
            answer == .decline(.outOfOrder), "Alice answered the second commitment with \(String(describing: answer))")

        let (aliceSaw, bobSaw) = await (aliceOutcome, bobOutcome)
        let aliceCodes = Set(aliceSaw.compactMap { $0.type == .pairCandidate ? $0.code : nil })
        let bobCodes = Set(bobSaw.compactMap { $0.type == .pairCandidate ? $0.code : nil })
        #expect(aliceCodes.isDisjoint(with: bobCodes), "both screens showed \(aliceCodes.intersection(bobCodes))")
        #expect(try await alice.node.friends().isEmpty)
        #expect(try await bob.node.friends().isEmpty)
        // The user sees why: the candidate is refused at once, and the press ends saying so.
        #expect(aliceSaw.contains { $0.type == .pairRefused && $0.detail?.contains("second commitment") == true })
        let aliceEnd = try #require(aliceSaw.last)
        #expect(aliceEnd.type == .pairEnded)
        #expect(aliceEnd.detail?.contains("broke the pairing exchange") == true, "\(aliceEnd)")
        #expect(aliceEnd.detail?.contains(NodeID(publicKey: mallory.publicKey).shortForm) == true)
        #expect(bobSaw.last?.type == .pairEnded)
        await toAlice.close()
        await toBob.close()
        await alice.stop()
        await bob.stop()
    }

    /// Breaking off the exchange after the node revealed gives a relay another try at a
    /// matching code; a press stops offering tries after ``abortLimit`` of them.
    @Test func aPressEndsAfterRepeatedBrokenOffExchanges() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let alice = try await RunningNode.start(home: home.path, name: "Alice")
        let events = alice.node.events.subscribe()
        async let outcome = Self.pressOutcome(alice, events)
        _ = try await alice.node.pair(window: .seconds(60), interactive: false, target: nil)
        let mallory = Ed25519.PrivateKey()
        for _ in 0..<3 {
            guard let peer = try? await HostilePeer.connect(port: alice.port, key: mallory, name: "Bob") else { break }
            try await peer.send(.hello(pressing: true))
            try await peer.send(
                .commit(PairingCode.commitment(handshakeHash: peer.node.handshakeHash, nonce: Random.bytes(count: 32))))
            _ = await peer.pairing { if case .reveal(let n) = $0 { n } else { nil } }
            await peer.close(reason: "no code for me this time")
        }
        let ended = await outcome
        #expect(ended.last?.type == .pairEnded)
        #expect(ended.last?.detail?.contains("broken off midway 3 times") == true, "\(ended)")
        await alice.stop()
    }
}
