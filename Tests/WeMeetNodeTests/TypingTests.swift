import Foundation
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetMessaging
import WeMeetModel
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Typing indicators (client issue §3; Protocol.md §9.5): an ephemeral channel message
/// between friends, never stored, rate-limited by the receiver's clock, off with a setting.
@Suite("Typing indicators", .stopsNodes, .timeLimit(.minutes(1)))
struct TypingTests {
    /// The sender's rule without sockets: one "typing" per three seconds per friend, a
    /// "stopped" only after a "typing", nothing when off.
    @Test func theSenderSendsAtMostOneTypingEveryThreeSeconds() {
        let friend = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
        let start = ContinuousClock.now
        var state = TypingState()
        #expect(state.typed(false, to: friend, at: start) == .none)
        #expect(state.typed(true, to: friend, at: start) == .send([0x30, 1]))
        #expect(state.typed(true, to: friend, at: start + .seconds(2)) == .none)
        #expect(state.typed(true, to: friend, at: start + .seconds(3)) == .send([0x30, 1]))
        #expect(state.typed(false, to: friend, at: start + .seconds(3)) == .send([0x30, 0]))
        #expect(state.typed(false, to: friend, at: start + .seconds(4)) == .none)
        #expect(state.typed(true, to: friend, at: start + .seconds(4)) == .send([0x30, 1]))
        state.enabled = false
        #expect(state.typed(true, to: friend, at: start + .seconds(9)) == .none)
    }

    /// The wire form (§9.5 vectors): `30 01` typing, `30 00` stopped; a wrong length or
    /// state is an error (ignored by the receiver), another presence type is not TYPING.
    @Test func theMessageParsesOnlyItsTwoForms() throws {
        #expect(TypingMessage(typing: true).bytes == [0x30, 0x01])
        #expect(TypingMessage(typing: false).bytes == [0x30, 0x00])
        #expect(try TypingMessage(bytes: [0x30, 0x01]) == TypingMessage(typing: true))
        #expect(try TypingMessage(bytes: [0x31, 0x01]) == nil)
        #expect(throws: NodeError.self) { try TypingMessage(bytes: [0x30]) }
        #expect(throws: NodeError.self) { try TypingMessage(bytes: [0x30, 0x02]) }
        #expect(throws: NodeError.self) { try TypingMessage(bytes: [0x30, 0x01, 0x00]) }
    }

    /// Alice types to Bob: Bob's node says so, and "stopped" when she stops; past the
    /// three seconds she may say so again. Bob turns the setting off: he sees nothing more.
    @Test func friendsSeeEachOtherTypeAndTheSettingTurnsItOff() async throws {
        let (alice, bob, aliceClock, bobClock, homes) = try await RecallTests.friends()
        defer { for home in homes { home.remove() } }
        try await alice.waitUntilEvent { _ in (try? await alice.node.sendMessage(to: "Bob", text: "hi")) != nil }
        try await bob.waitUntilEvent { _ in (try? await bob.node.messages(with: "Alice").count) == 1 }
        let seen = bob.node.events.subscribe()
        /// Bob's next typing event (from Alice), or "message" when a message comes first.
        func next() async -> String {
            for await event in seen {
                if event.type == .dmTyping {
                    #expect(event.peer == alice.node.identity.nodeID && event.name == "Alice")
                    return event.detail ?? ""
                }
                if event.type == .dmReceived { return "message" }
            }
            return "ended"
        }
        #expect(try await alice.node.typing(true, to: "Bob"))
        #expect(await next() == "typing")
        #expect(try await alice.node.typing(true, to: "Bob") == false, "a second typing within 3 s went out")
        #expect(try await alice.node.typing(false, to: "Bob"))
        #expect(await next() == "stopped")
        aliceClock.advance(by: .seconds(3))
        bobClock.advance(by: .seconds(3))
        try await bob.node.setTypingIndicators(false)
        #expect(try await alice.node.typing(true, to: "Bob"))
        _ = try await alice.node.sendMessage(to: "Bob", text: "the end")
        #expect(await next() == "message", "typing was shown with the setting off")
        #expect(try await bob.node.typingIndicators() == false)
        #expect(try await alice.node.typingIndicators())
        await alice.stop()
        await bob.stop()
    }

    /// Hostile peers (attacker test): a stranger's TYPING shows nothing; a friend's flood of
    /// them makes one "typing" a second by the reader's clock, whatever it sends; malformed
    /// ones are ignored and the channel carries on.
    @Test func strangersAreNotShownAndAFriendsFloodIsLimited() async throws {
        let (alice, bob, aliceClock, _, homes) = try await RecallTests.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        let aliceID = alice.node.identity.nodeID
        try await bob.stop(seenBy: alice)
        let seen = alice.node.events.subscribe()

        // A stranger: its TYPING, then a pairing message of an undefined type, which closes
        // the channel, so the TYPING was handled by then.
        let stranger = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: Ed25519.PrivateKey(), displayName: "Mallory"))
        try await stranger.executeThenClose { inbound, outbound in
            try await outbound.send(TypingMessage(typing: true).bytes)
            try await outbound.send([0x0F])
            do { for try await _ in inbound {} } catch {
                #expect("\(error)".contains("0x0f"), "\(error)")
            }
        }

        let feed = Feed(author: bobKey.publicKey, kind: .direct, audience: aliceID.publicKey.rawRepresentation)
        let cipher = try DirectCipher(own: bobKey, other: aliceID.publicKey, outgoing: true)
        var entries: [Entry] = []
        /// A message from Bob: after the TYPINGs on the same channel, so its event comes last.
        func message(_ text: String) throws -> [UInt8] {
            let entry = try Entry(
                feed: feed, seq: UInt64(entries.count + 1), previous: entries.last?.id ?? .zero,
                timestamp: 1_700_000_000_000, contentType: DirectMessages.contentType,
                payload: cipher.seal([DirectMessages.Kind.message.rawValue] + Array(text.utf8)), signedBy: bobKey)
            entries.append(entry)
            return SyncMessage.entries([entry.encoded]).bytes
        }
        /// The typing events up to the next message.
        func typingUntilMessage() async -> [String] {
            var typing: [String] = []
            for await event in seen {
                if event.type == .dmTyping {
                    #expect(event.peer == bob.node.identity.nodeID, "a stranger's typing was shown")
                    typing.append(event.detail ?? "")
                }
                if event.type == .dmReceived { break }
            }
            return typing
        }
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
        try await channel.executeThenClose { inbound, outbound in
            for _ in 0..<50 { try await outbound.send(TypingMessage(typing: true).bytes) }
            try await outbound.send([0x30])
            try await outbound.send([0x30, 0x07])
            try await outbound.send([0x3F, 0x01])
            try await outbound.send(try message("one"))
            #expect(await typingUntilMessage() == ["typing"], "a flood was shown more than once a second")
            // Under a second later: "stopped" counts once, "typing" not yet.
            aliceClock.advance(by: .milliseconds(900))
            for typing in [false, false, true, false] { try await outbound.send(TypingMessage(typing: typing).bytes) }
            try await outbound.send(try message("two"))
            #expect(await typingUntilMessage() == ["stopped"])
            aliceClock.advance(by: .milliseconds(100))
            try await outbound.send(TypingMessage(typing: true).bytes)
            try await outbound.send(try message("three"))
            #expect(await typingUntilMessage() == ["typing"])
            _ = inbound
        }
        // The channel closed: Bob, shown typing, is shown stopped.
        for await event in seen where event.type == .dmTyping {
            #expect(event.detail == "stopped")
            break
        }
        #expect(try await alice.node.messages(with: "Bob").map(\.text) == ["one", "two", "three"])
        await alice.stop()
    }
}
