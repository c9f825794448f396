import Foundation
import Logging
import NIOCore
import NIOPosix
import WeMeetChannel
import WeMeetCrypto

/// Issue "secure channel": handshakes per second and bulk transport over loopback.
enum ChannelBenchmark {
    static func run(ceilings: Ceilings, scale: Double) async throws -> [Figure] {
        var configuration = ChannelConfiguration()
        configuration.maximumHandshakesPerAddress = 64
        let server = ChannelCredentials(identityKey: Ed25519.PrivateKey(), displayName: "bench-server")
        let client = ChannelCredentials(identityKey: Ed25519.PrivateKey(), displayName: "bench-client")
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        // Server and client each get one event-loop thread, as two nodes on two machines would
        // each have their own core.
        let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let listener = try await ChannelListener.bind(
            host: "127.0.0.1", port: 0, credentials: server, configuration: configuration, group: serverGroup,
            logger: logger)
        let port = listener.localAddress!.port!
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.run { channel in
                    try? await channel.executeThenClose { inbound, _ in for try await _ in inbound {} }
                }
            }
            defer { group.cancelAll() }
            let handshakes = try await handshakeRate(
                port: port, client: client, configuration: configuration, count: Int(2000 * scale),
                eventLoops: clientGroup, logger: logger)
            let bulk = try await bulkRate(
                port: port, client: client, configuration: configuration, megabytes: Int(1000 * scale),
                eventLoops: clientGroup, logger: logger)
            return [
                Figure(
                    name: "channel: XX handshakes (8 concurrent)", value: handshakes, unit: "handshakes/s",
                    ceiling: ceilings.x25519PerSecond / 8, target: 0.4),
                Figure(
                    name: "channel: bulk transport (1 MiB messages)", value: bulk / 1e6, unit: "MB/s",
                    ceiling: ceilings.chachaPolyBytesPerSecond / 1e6, target: 0.5),
            ]
        }
    }

    /// Completed handshakes per second, 8 at a time, each connection closed right after.
    static func handshakeRate(
        port: Int, client: ChannelCredentials, configuration: ChannelConfiguration, count: Int,
        eventLoops: any EventLoopGroup, logger: Logger
    ) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for _ in stride(from: worker, to: count, by: 8) {
                        let channel = try await SecureChannel.connect(
                            host: "127.0.0.1", port: port, credentials: client, configuration: configuration,
                            group: eventLoops, logger: logger)
                        try await channel.executeThenClose { _, _ in }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(count) / (clock.now - start).seconds
    }

    /// Bytes per second delivered from one client to the server's reader.
    static func bulkRate(
        port: Int, client: ChannelCredentials, configuration: ChannelConfiguration, megabytes: Int,
        eventLoops: any EventLoopGroup, logger: Logger
    ) async throws -> Double {
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: port, credentials: client, configuration: configuration, group: eventLoops,
            logger: logger)
        let message = ByteBuffer(bytes: Random.bytes(count: 1 << 20))
        let clock = ContinuousClock()
        let start = clock.now
        try await channel.executeThenClose { _, outbound in
            for _ in 0..<megabytes { try await outbound.write(message) }
            // A close record after the data: once the server has read everything it closes too.
            try await outbound.close(.normal, reason: "done")
        }
        return Double(megabytes << 20) / (clock.now - start).seconds
    }
}
