import Logging
import NIOCore
import Testing
import WeMeetCrypto
import WeMeetTestSupport

@testable import WeMeetChannel

/// Every kind of bad input closes the offending connection with a logged reason, memory stays
/// bounded, and an honest peer connected at the same time keeps being served.
@Suite("bad input on the channel")
struct BadInputTests {
    /// Runs `attack` while an honest channel is open, checking it works before and after.
    static func withHonestPeer(port: Int, _ attack: () async throws -> Void) async throws {
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("Honest"),
            configuration: ChannelHarness.fast)
        try await channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            try await ChannelHarness.roundTrip(&iterator, outbound, "before")
            try await attack()
            try await ChannelHarness.roundTrip(&iterator, outbound, "after")
        }
    }

    /// Starts a listener that logs into `logs`, and an honest peer; runs `attack`.
    static func scenario(
        configuration: ChannelConfiguration = ChannelHarness.fast,
        _ attack: @escaping @Sendable (Int, ChannelListener) async throws -> Void
    ) async throws -> LogCapture {
        let logs = LogCapture()
        try await ChannelHarness.withListener(configuration: configuration, logger: logs.logger()) { port, listener in
            try await withHonestPeer(port: port) { try await attack(port, listener) }
            #expect(listener.counts.pendingHandshakes == 0)
        }
        return logs
    }

    @Test("random bytes", arguments: 0..<4)
    func randomBytes(seed: Int) async throws {
        let logs = try await Self.scenario { port, _ in
            var garbage = Random.bytes(count: 300)
            if seed % 2 == 0 {
                garbage[0] = 0
                garbage[1] = 100  // a plausible length, so the handshake itself sees the garbage
            }
            _ = try await ChannelHarness.sendAndAwaitClose(try await ChannelHarness.raw(port: port), garbage)
        }
        #expect(logs.contains("handshake failed") || logs.contains("exceeds the limit"))
    }

    @Test func truncatedFirstMessage() async throws {
        let logs = try await Self.scenario { port, _ in
            var handshake = ChannelHandshake(
                initiator: true, credentials: ChannelHarness.credentials("T"), configuration: .init(),
                remoteAddress: "s")
            let message1 = try handshake.start()
            var frame = ByteBuffer()
            frame.writeFrame(Array(message1.prefix(20)))
            _ = try await ChannelHarness.sendAndAwaitClose(
                try await ChannelHarness.raw(port: port), Array(buffer: frame))
        }
        #expect(logs.contains("truncated"))
    }

    @Test func lengthPrefixOverTheLimit() async throws {
        let logs = try await Self.scenario { port, _ in
            _ = try await ChannelHarness.sendAndAwaitClose(
                try await ChannelHarness.raw(port: port), [0xff, 0xff] + Random.bytes(count: 10))
        }
        #expect(logs.contains("frame of 65535 bytes exceeds the limit of 1024"))
    }

    /// A recorded first message is accepted (it is public), but the replayer can never finish
    /// the handshake: the connection ends at the handshake timeout.
    @Test func replayedFirstMessage() async throws {
        let logs = try await Self.scenario { port, _ in
            var handshake = ChannelHandshake(
                initiator: true, credentials: ChannelHarness.credentials("Victim"), configuration: .init(),
                remoteAddress: "s")
            var frame = ByteBuffer()
            frame.writeFrame(try handshake.start())
            for _ in 0..<2 {
                let received = try await ChannelHarness.sendAndAwaitClose(
                    try await ChannelHarness.raw(port: port), Array(buffer: frame))
                #expect(!received.isEmpty)  // the responder's message 2, useless without the keys
            }
        }
        #expect(logs.contains("handshake not completed within"))
    }

    @Test func wrongNetworkOrPrologue() async throws {
        let logs = try await Self.scenario { port, _ in
            var other = ChannelHarness.fast
            other.network = NetworkID(name: "another network")
            await #expect(throws: SecureChannelError.self) {
                try await SecureChannel.connect(
                    host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("X"), configuration: other)
            }
        }
        #expect(logs.contains("handshake failed"))
    }

    @Test func slowloris() async throws {
        let logs = try await Self.scenario { port, _ in
            _ = try await ChannelHarness.sendAndAwaitClose(try await ChannelHarness.raw(port: port), [0x00])
        }
        #expect(logs.contains("handshake not completed within"))
    }

    @Test func sendingAfterClose() async throws {
        let received = AsyncStream<Int>.makeStream()
        let logs = LogCapture()
        try await ChannelHarness.withListener(
            logger: logs.logger(),
            handler: { channel in
                var count = 0
                do {
                    try await channel.executeThenClose { inbound, outbound in
                        for try await message in inbound {
                            count += 1
                            try await outbound.write(message)
                        }
                    }
                } catch {}
                received.continuation.yield(count)
            }
        ) { port, _ in
            try await Self.withHonestPeer(port: port) {
                let connection = try await ChannelHarness.raw(port: port)
                try await connection.executeThenClose { inbound, outbound in
                    var peer = RawPeer(inbound, outbound)
                    try await peer.handshake(credentials: ChannelHarness.credentials("Closer"))
                    try await peer.sendRecord(.dataEnd([1]))
                    try await peer.sendRecord(.close(.normal, "done"))
                    try? await peer.sendRecord(.dataEnd([2]))
                    try? await peer.writeRaw(Random.bytes(count: 100))
                    _ = await peer.drain()
                }
            }
            var counts = received.stream.makeAsyncIterator()
            // Two handlers ran: the closer's (1 message: the one before its CLOSE) and the honest
            // peer's (2 messages), in either order.
            let first = await counts.next()
            let second = await counts.next()
            #expect(Set([first, second]) == [1, 2], "the closer's data before CLOSE arrived, nothing after")
        }
        #expect(logs.contains("peer closed the channel"))
    }

    @Test func silentPeerIsDroppedAtTheIdleTimeout() async throws {
        var configuration = ChannelHarness.fast
        configuration.idleTimeout = .milliseconds(300)
        configuration.keepaliveInterval = .milliseconds(100)
        let logs = try await Self.scenario(configuration: configuration) { port, _ in
            let connection = try await ChannelHarness.raw(port: port)
            try await connection.executeThenClose { inbound, outbound in
                var peer = RawPeer(inbound, outbound)
                try await peer.handshake(credentials: ChannelHarness.credentials("Silent"))
                let records = await peer.drain()  // never answers; the server pings, then gives up
                #expect(records.contains(.ping))
                #expect(records.contains { if case .close(.idleTimeout, _) = $0 { true } else { false } })
            }
        }
        #expect(logs.contains("nothing received for"))
    }

    @Test func garbageAfterTheHandshake() async throws {
        let logs = try await Self.scenario { port, _ in
            let connection = try await ChannelHarness.raw(port: port)
            try await connection.executeThenClose { inbound, outbound in
                var peer = RawPeer(inbound, outbound)
                try await peer.handshake(credentials: ChannelHarness.credentials("Garbage"))
                try await peer.writeFrame(Random.bytes(count: 64))
                let records = await peer.drain()
                #expect(records.contains { if case .close(.protocolError, _) = $0 { true } else { false } })
            }
        }
        #expect(logs.contains("failed authentication"))
    }

    @Test func oversizedMessageFromAPeer() async throws {
        var configuration = ChannelHarness.fast
        configuration.maximumMessageSize = 100_000
        let logs = try await Self.scenario(configuration: configuration) { port, _ in
            let connection = try await ChannelHarness.raw(port: port)
            try await connection.executeThenClose { inbound, outbound in
                var peer = RawPeer(inbound, outbound)
                try await peer.handshake(credentials: ChannelHarness.credentials("Big"))
                for _ in 0..<3 { try? await peer.sendRecord(.dataMore(Random.bytes(count: 60_000))) }
                let records = await peer.drain()
                #expect(records.contains { if case .close(.messageTooLarge, _) = $0 { true } else { false } })
            }
        }
        #expect(logs.contains("over 100000 bytes"))
    }

    /// A flood of stalled handshakes from one address hits the per-address cap; the rest are
    /// refused at once and the honest peer (another address) is unaffected.
    @Test func handshakeFloodFromOneAddress() async throws {
        var configuration = ChannelHarness.fast
        configuration.maximumHandshakesPerAddress = 3
        let logs = try await Self.scenario(configuration: configuration) { port, listener in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    let connection = try await ChannelHarness.raw(port: port, source: "127.0.0.2")
                    group.addTask { _ = try await ChannelHarness.sendAndAwaitClose(connection, [0x00]) }
                }
                try await group.waitForAll()
            }
            #expect(listener.counts.pendingHandshakes == 0)
        }
        #expect(logs.contains("handshakes from that address already in progress"))
        #expect(logs.contains("handshake not completed within"))
    }
}
