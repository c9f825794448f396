import NIOCore
import Testing
import WeMeetCrypto
import WeMeetTestSupport

@testable import WeMeetChannel

/// Wire-level checks of Protocol.md §4 rules that an independent implementation had to guess
/// (conformance issue, points 18–20 and 23), played by a hand-driven peer on raw TCP.
@Suite("Channel conformance (wire level)", .timeLimit(.minutes(1)))
struct ChannelConformanceTests {
    /// Reads records until an application message is complete; returns it and the other
    /// records seen meanwhile.
    static func nextMessage(_ peer: inout RawPeer) async throws -> (message: [UInt8], others: [ChannelRecord]) {
        var message: [UInt8] = []
        var others: [ChannelRecord] = []
        while let frame = try await peer.readFrame() {
            var cipher = try #require(peer.receive)
            let record = try ChannelRecord.decode(try cipher.decrypt(frame))
            peer.receive = cipher
            switch record {
            case .dataMore(let bytes): message += bytes
            case .dataEnd(let bytes): return (message + bytes, others)
            default: others.append(record)
            }
        }
        throw SecureChannelError(code: .closed, message: "the connection ended before a message")
    }

    /// §4.5: a PING between fragments, an empty DATA_MORE and fragments shorter than the
    /// maximum are all part of one message; the PING is answered meanwhile.
    @Test func pingsAndShortOrEmptyFragmentsBetweenFragments() async throws {
        try await ChannelHarness.withListener { port, _ in
            let connection = try await ChannelHarness.raw(port: port)
            try await connection.executeThenClose { inbound, outbound in
                var peer = RawPeer(inbound, outbound)
                try await peer.handshake(credentials: ChannelHarness.credentials("Fragments"))
                try await peer.sendRecord(.dataMore([1, 2]))
                try await peer.sendRecord(.ping)
                try await peer.sendRecord(.dataMore([]))
                try await peer.sendRecord(.dataMore([3]))
                try await peer.sendRecord(.dataEnd([4]))
                let (echoed, others) = try await Self.nextMessage(&peer)
                #expect(echoed == [1, 2, 3, 4])
                #expect(others == [.pong])
            }
        }
    }

    /// §4.6: after a rekey the nonce counter keeps running (Noise semantics). A peer that
    /// rekeys every 3 messages and keeps counting is understood in both directions.
    @Test func theNonceCounterKeepsRunningAfterARekey() async throws {
        let configuration = {
            var configuration = ChannelHarness.fast
            configuration.rekeyInterval = 3
            return configuration
        }()
        try await ChannelHarness.withListener(configuration: configuration) { port, _ in
            let connection = try await ChannelHarness.raw(port: port)
            try await connection.executeThenClose { inbound, outbound in
                var peer = RawPeer(inbound, outbound)
                try await peer.handshake(
                    credentials: ChannelHarness.credentials("Rekeyer"), configuration: configuration)
                for round in 0..<8 {
                    var send = try #require(peer.send)
                    #expect(send.nonce == UInt64(round), "the counter is not reset by a rekey")
                    try await peer.writeFrame(try send.encrypt(ChannelRecord.dataEnd([UInt8(round)]).encoded()))
                    if send.nonce % 3 == 0 { send.rekey() }
                    peer.send = send
                    let frame = try #require(try await peer.readFrame())
                    var receive = try #require(peer.receive)
                    #expect(try ChannelRecord.decode(receive.decrypt(frame)) == .dataEnd([UInt8(round)]))
                    if receive.nonce % 3 == 0 { receive.rekey() }
                    peer.receive = receive
                }
            }
        }
    }

    /// §4.7: a CLOSE whose reason is over 512 bytes is still a CLOSE; the receiver keeps the
    /// first 512 bytes of the reason.
    @Test func aCloseReasonOverTheLimitIsCutTo512Bytes() async throws {
        let errors = AsyncStream<String>.makeStream()
        try await ChannelHarness.withListener(handler: { channel in
            do {
                try await channel.executeThenClose { inbound, _ in for try await _ in inbound {} }
            } catch {
                errors.continuation.yield((error as? SecureChannelError)?.message ?? "\(error)")
            }
        }) { port, _ in
            let connection = try await ChannelHarness.raw(port: port)
            try await connection.executeThenClose { inbound, outbound in
                var peer = RawPeer(inbound, outbound)
                try await peer.handshake(credentials: ChannelHarness.credentials("Verbose"))
                try await peer.sendRecord(.dataEnd([]))
                // ChannelRecord.encoded cuts reasons itself: build the long one by hand.
                var long = [ChannelRecord.closeType, 0, 0]
                long += [UInt8](repeating: UInt8(ascii: "x"), count: 600)
                var send = try #require(peer.send)
                try await peer.writeFrame(try send.encrypt(long))
                peer.send = send
                _ = await peer.drain()
            }
            var iterator = errors.stream.makeAsyncIterator()
            let message = try #require(await iterator.next())
            #expect(message.contains(String(repeating: "x", count: 512)), "\(message.count)")
            #expect(!message.contains(String(repeating: "x", count: 513)))
        }
    }

    /// §4.3, §4.7: a peer refused after the handshake completed — it is the node itself, or
    /// its identity does not bind to its static key — gets a CLOSE record with code 8 or 2
    /// as the first transport message, not a bare TCP close.
    @Test(arguments: [true, false])
    func aRefusedIdentityGetsItsCloseCode(selfConnection: Bool) async throws {
        let server = ChannelHarness.credentials("Server")
        try await ChannelHarness.withListener(credentials: server) { port, _ in
            let connection = try await ChannelHarness.raw(port: port)
            try await connection.executeThenClose { inbound, outbound in
                var peer = RawPeer(inbound, outbound)
                // Self: the server's own key and identity. Mismatch: a fresh static key that
                // claims the server's identity.
                let staticKey = selfConnection ? server.staticKey : Ed25519.PrivateKey().curve25519()
                var noise = try NoiseHandshakeState(
                    protocolName: ChannelHandshake.protocolName, initiator: true,
                    prologue: ChannelHandshake.prologue(network: .default), localStatic: staticKey)
                try await peer.writeFrame(
                    try noise.writeMessage(HandshakePayload.hello(minimumVersion: 1, maximumVersion: 1).encoded()))
                _ = try noise.readMessage(try #require(try await peer.readFrame()))
                try await peer.writeFrame(
                    try noise.writeMessage(
                        HandshakePayload.identity(identity: server.identityKey.publicKey, name: "Me").encoded()))
                var receive = try #require(noise.transport).receive
                let frame = try #require(try await peer.readFrame())
                let record = try ChannelRecord.decode(try receive.decrypt(frame))
                if selfConnection {
                    #expect(record == .close(.selfConnection, "connected to itself"))
                } else {
                    #expect(record == .close(.protocolError, "identity does not match the key"))
                }
                #expect(try await peer.readFrame() == nil, "then the connection closes")
            }
        }
    }
}
