import Testing
import WeMeetCrypto

@testable import WeMeetChannel

/// The WeMeet handshake as a pure state machine (no sockets).
@Suite("WeMeet handshake")
struct ChannelHandshakeTests {
    static func credentials(_ name: String) -> ChannelCredentials {
        ChannelCredentials(identityKey: Ed25519.PrivateKey(), displayName: name)
    }

    /// Runs both sides to completion (or the first error).
    static func run(
        initiator: inout ChannelHandshake, responder: inout ChannelHandshake
    ) throws -> (ChannelHandshake.Established, ChannelHandshake.Established) {
        let m1 = try initiator.start()
        let r1 = try responder.receive(m1)
        if let failure = r1.failure { throw failure }
        let r2 = try initiator.receive(r1.reply!)
        let r3 = try responder.receive(r2.reply!)
        return (r2.established!, r3.established!)
    }

    /// The non-throwing XX set-up the channel uses is the parsed pattern, with the same
    /// initial state as the general constructor.
    @Test func theBuiltInXXEqualsTheParsedPattern() throws {
        #expect(NoisePattern.xx == (try NoisePattern("XX")))
        let key = X25519.PrivateKey()
        let prologue = ChannelHandshake.prologue(network: .default)
        let built = NoiseHandshakeState(xx: true, prologue: prologue, localStatic: key)
        let parsed = try NoiseHandshakeState(
            protocolName: ChannelHandshake.protocolName, initiator: true, prologue: prologue, localStatic: key)
        #expect(built.handshakeHash == parsed.handshakeHash && built.pattern == parsed.pattern)
    }

    @Test func bothSidesLearnEachOthersIdentity() throws {
        let alice = Self.credentials("Alice")
        let bob = Self.credentials("Bob")
        var a = ChannelHandshake(initiator: true, credentials: alice, configuration: .init(), remoteAddress: "b")
        var b = ChannelHandshake(initiator: false, credentials: bob, configuration: .init(), remoteAddress: "a")
        let (ea, eb) = try Self.run(initiator: &a, responder: &b)
        #expect(ea.peer.nodeID == bob.nodeID)
        #expect(ea.peer.displayName == "Bob")
        #expect(eb.peer.nodeID == alice.nodeID)
        #expect(eb.peer.displayName == "Alice")
        #expect(ea.peer.handshakeHash == eb.peer.handshakeHash)
        #expect(ea.peer.protocolVersion == 1)
        var send = ea.send
        var receive = eb.receive
        #expect(try receive.decrypt(try send.encrypt([1, 2, 3])) == [1, 2, 3])
    }

    @Test func differentNetworksNeverComplete() throws {
        var other = ChannelConfiguration()
        other.network = NetworkID(name: "elsewhere")
        var a = ChannelHandshake(
            initiator: true, credentials: Self.credentials("A"), configuration: .init(), remoteAddress: "b")
        var b = ChannelHandshake(
            initiator: false, credentials: Self.credentials("B"), configuration: other, remoteAddress: "a")
        // Message 1 is in the clear, so the responder answers; the initiator cannot read it.
        let r1 = try b.receive(try a.start())
        let error = #expect(throws: SecureChannelError.self) { try a.receive(r1.reply!) }
        #expect(error?.code == .handshakeFailed)
        #expect(error?.message.contains("different network") == true)
    }

    @Test func newerVersionIsRefusedWithAReadableReason() throws {
        var future = ChannelConfiguration()
        future.minimumVersion = 2
        future.maximumVersion = 3
        var a = ChannelHandshake(
            initiator: true, credentials: Self.credentials("A"), configuration: future, remoteAddress: "b")
        var b = ChannelHandshake(
            initiator: false, credentials: Self.credentials("B"), configuration: .init(), remoteAddress: "a")
        let r1 = try b.receive(try a.start())
        #expect(r1.failure?.code == .versionMismatch)
        let error = #expect(throws: SecureChannelError.self) { try a.receive(r1.reply!) }
        #expect(error?.code == .versionMismatch)
        #expect(error?.message.contains("versions 1-1") == true)
        #expect(error?.message.contains("offered 2-3") == true)
    }

    @Test func overlappingRangesPickTheHighestCommonVersion() throws {
        var wide = ChannelConfiguration()
        wide.maximumVersion = 5
        var a = ChannelHandshake(
            initiator: true, credentials: Self.credentials("A"), configuration: wide, remoteAddress: "b")
        var b = ChannelHandshake(
            initiator: false, credentials: Self.credentials("B"), configuration: .init(), remoteAddress: "a")
        let (ea, eb) = try Self.run(initiator: &a, responder: &b)
        #expect(ea.peer.protocolVersion == 1)
        #expect(eb.peer.protocolVersion == 1)
    }

    /// A node that reaches itself completes the handshake, and its first transport message
    /// is CLOSE code 8, in either role (Protocol.md §4.3; conformance issue, point 20).
    @Test func connectingToItselfIsRefusedWithCloseCode8() throws {
        let me = Self.credentials("Me")
        func hand(initiator: Bool) throws -> NoiseHandshakeState {
            try NoiseHandshakeState(
                protocolName: ChannelHandshake.protocolName, initiator: initiator,
                prologue: ChannelHandshake.prologue(network: .default), localStatic: me.staticKey)
        }
        // As the initiator: the "responder" (this node's own key) accepts.
        var a = ChannelHandshake(initiator: true, credentials: me, configuration: .init(), remoteAddress: "b")
        var responder = try hand(initiator: false)
        _ = try responder.readMessage(try a.start())
        let accept = try responder.writeMessage(
            HandshakePayload.accept(version: 1, identity: me.identityKey.publicKey, name: "Me").encoded())
        let r2 = try a.receive(accept)
        #expect(r2.established == nil && r2.failure?.closeCode == .selfConnection)
        _ = try responder.readMessage(try #require(r2.reply))
        var receive = try #require(responder.transport).receive
        #expect(
            try ChannelRecord.decode(receive.decrypt(try #require(r2.farewell)))
                == .close(.selfConnection, "connected to itself"))
        // As the responder.
        var b = ChannelHandshake(initiator: false, credentials: me, configuration: .init(), remoteAddress: "a")
        var initiator = try hand(initiator: true)
        let r1 = try b.receive(
            try initiator.writeMessage(HandshakePayload.hello(minimumVersion: 1, maximumVersion: 1).encoded()))
        _ = try initiator.readMessage(try #require(r1.reply))
        let r3 = try b.receive(
            try initiator.writeMessage(
                HandshakePayload.identity(identity: me.identityKey.publicKey, name: "Me").encoded()))
        #expect(r3.established == nil && r3.failure?.closeCode == .selfConnection)
        receive = try #require(initiator.transport).receive
        #expect(
            try ChannelRecord.decode(receive.decrypt(try #require(r3.farewell)))
                == .close(.selfConnection, "connected to itself"))
    }

    /// An initiator that claims someone else's identity key, but holds a different static key.
    @Test func claimingAnotherIdentityIsRefused() throws {
        let victim = Self.credentials("Victim")
        let mallory = Self.credentials("Mallory")
        var noise = try NoiseHandshakeState(
            protocolName: ChannelHandshake.protocolName, initiator: true,
            prologue: ChannelHandshake.prologue(network: .default), localStatic: mallory.staticKey)
        var b = ChannelHandshake(
            initiator: false, credentials: Self.credentials("B"), configuration: .init(), remoteAddress: "m")
        let r1 = try b.receive(
            try noise.writeMessage(HandshakePayload.hello(minimumVersion: 1, maximumVersion: 1).encoded()))
        _ = try noise.readMessage(r1.reply!)
        let lie = try noise.writeMessage(
            HandshakePayload.identity(identity: victim.identityKey.publicKey, name: "Victim").encoded())
        // The responder refuses with a CLOSE record the liar can read: code 2 (§4.3).
        let output = try b.receive(lie)
        #expect(output.established == nil)
        #expect(output.failure?.code == .identityMismatch)
        var receive = try #require(noise.transport).receive
        let farewell = try ChannelRecord.decode(try receive.decrypt(try #require(output.farewell)))
        #expect(farewell == .close(.protocolError, "identity does not match the key"))
    }

    @Test("garbage and truncated handshake messages are rejected", arguments: [0, 1, 31, 32, 36, 100, 1024])
    func garbage(length: Int) throws {
        var b = ChannelHandshake(
            initiator: false, credentials: Self.credentials("B"), configuration: .init(), remoteAddress: "x")
        #expect(throws: SecureChannelError.self) { try b.receive(Random.bytes(count: length)) }
        var a = ChannelHandshake(
            initiator: true, credentials: Self.credentials("A"), configuration: .init(), remoteAddress: "y")
        _ = try a.start()
        #expect(throws: SecureChannelError.self) { try a.receive(Random.bytes(count: length)) }
    }

    @Test func truncatedFirstMessageIsRejected() throws {
        var a = ChannelHandshake(
            initiator: true, credentials: Self.credentials("A"), configuration: .init(), remoteAddress: "b")
        let m1 = try a.start()
        for length in 0..<m1.count {
            var b = ChannelHandshake(
                initiator: false, credentials: Self.credentials("B"), configuration: .init(), remoteAddress: "a")
            #expect(throws: SecureChannelError.self) { try b.receive(Array(m1.prefix(length))) }
        }
    }

    @Test(
        "payload codec rejects malformed payloads",
        arguments: [
            [], [0x09], [0x01, 0x00], [0x01, 0, 2, 0, 1], [0x02, 0, 1],
            [0x04] + [UInt8](repeating: 0, count: 32) + [5, 0x41],
        ])
    func payloadCodec(bytes: [UInt8]) {
        #expect(throws: SecureChannelError.self) {
            try HandshakePayload.decode(bytes, expected: [0x01, 0x02, 0x03, 0x04])
        }
    }

    @Test func payloadsRoundTripAndIgnoreExtensions() throws {
        let key = Ed25519.PrivateKey().publicKey
        let payloads: [HandshakePayload] = [
            .hello(minimumVersion: 1, maximumVersion: 7),
            .accept(version: 1, identity: key, name: "Zoë"),
            .refuse(code: .versionMismatch, reason: "no"),
            .identity(identity: key, name: ""),
        ]
        for payload in payloads {
            #expect(try HandshakePayload.decode(payload.encoded() + [9, 9, 9], expected: [1, 2, 3, 4]) == payload)
        }
    }

    @Test func recordCodec() throws {
        let records: [ChannelRecord] = [.dataMore([1]), .dataEnd([]), .ping, .pong, .close(.idleTimeout, "bye")]
        for record in records { #expect(try ChannelRecord.decode(record.encoded()) == record) }
        #expect(throws: SecureChannelError.self) { try ChannelRecord.decode([UInt8]()) }
        #expect(throws: SecureChannelError.self) { try ChannelRecord.decode([0x77]) }
        #expect(throws: SecureChannelError.self) { try ChannelRecord.decode([0x04, 0x00]) }
    }
}

@Suite("channel vectors in Protocol.md")
struct ChannelVectorTests {
    @Test func defaultNetworkAndPrologue() {
        #expect(
            Hex.encode(NetworkID.default.rawValue) == "5c9d1cb4cacc55302bc700fb74cf8421b82e1f65f03b842bd6e84677a9d3b1d8"
        )
        let prologue = ChannelHandshake.prologue(network: .default)
        #expect(Hex.encode(prologue.prefix(15)) == "57654d656574206368616e6e656c01")
        #expect(prologue.count == 47)
    }
}
