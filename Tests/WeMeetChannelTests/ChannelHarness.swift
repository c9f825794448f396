import Logging
import NIOCore
import NIOPosix
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetTestSupport

/// Starts listeners and clients on loopback for channel tests.
enum ChannelHarness {
    static func credentials(_ name: String) -> ChannelCredentials {
        ChannelCredentials(identityKey: Ed25519.PrivateKey(), displayName: name)
    }

    /// A configuration with short timeouts so failure paths finish quickly.
    static var fast: ChannelConfiguration {
        var configuration = ChannelConfiguration()
        configuration.handshakeTimeout = .milliseconds(800)
        return configuration
    }

    /// Echoes every message back until the peer goes away.
    static let echo: @Sendable (SecureChannel) async -> Void = { channel in
        try? await channel.executeThenClose { inbound, outbound in
            for try await message in inbound {
                try await outbound.write(message)
            }
        }
    }

    /// Runs `body` with a listener on 127.0.0.1 (its port passed in), then stops it.
    static func withListener<R: Sendable>(
        credentials: ChannelCredentials = credentials("Server"),
        configuration: ChannelConfiguration = fast,
        logger: Logger = Logger(label: "test"),
        handler: @escaping @Sendable (SecureChannel) async -> Void = echo,
        _ body: @Sendable (Int, ChannelListener) async throws -> R
    ) async throws -> R {
        let listener = try await ChannelListener.bind(
            host: "127.0.0.1", port: 0, credentials: credentials, configuration: configuration, logger: logger)
        let port = try #require(listener.localAddress?.port)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run(handler) }
            defer { group.cancelAll() }
            return try await body(port, listener)
        }
    }

    /// A raw TCP connection (no WeMeet protocol) from `source`, for feeding bad input.
    static func raw(port: Int, source: String? = nil) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        return try await bootstrap.connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    }

    /// Sends `bytes` on a raw connection and waits until the server closes it; returns
    /// everything the server sent.
    static func sendAndAwaitClose(
        _ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, _ bytes: [UInt8]
    ) async throws
        -> [UInt8]
    {
        try await connection.executeThenClose { inbound, outbound in
            // The server may already have closed (a refused connection): that is fine.
            if !bytes.isEmpty { try? await outbound.write(ByteBuffer(bytes: bytes)) }
            var received: [UInt8] = []
            do {
                for try await chunk in inbound { received += Array(buffer: chunk) }
            } catch {
                // A reset also counts as closed.
            }
            return received
        }
    }

    /// Sends `text` on an established channel and expects it echoed.
    static func roundTrip(
        _ iterator: inout SecureChannel.Inbound.AsyncIterator, _ outbound: SecureChannel.Outbound, _ text: String
    ) async throws {
        try await outbound.send(Array(text.utf8))
        let echoed = try #require(try await iterator.next())
        #expect(String(buffer: echoed) == text)
    }
}
