import Logging
import NIOCore
import NIOPosix

/// A listening socket that accepts connections, enforces the connection and handshake
/// limits, runs the handshake as the responder, and hands each authenticated
/// ``SecureChannel`` to the application.
public struct ChannelListener: Sendable {
    /// Each accepted connection: its channel and handshake, or nil when it was refused.
    private typealias Accepted = (NIOAsyncChannel<ByteBuffer, ChannelOutbound>, EventLoopFuture<PeerInfo>)?
    private let server: NIOAsyncChannel<Accepted, Never>
    private let limiter: ConnectionLimiter
    private let registry: AcceptRegistry
    private let logger: Logger
    private let maximumMessageSize: Int

    /// The address actually bound (its port is the chosen one when asked for port 0).
    public var localAddress: SocketAddress? { server.channel.localAddress }

    /// Binds `host:port` (port 0 picks a free port).
    public static func bind(
        host: String, port: Int, credentials: ChannelCredentials, configuration: ChannelConfiguration = .init(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "wemeet.channel")
    ) async throws -> ChannelListener {
        let limiter = ConnectionLimiter(configuration: configuration)
        let registry = AcceptRegistry()
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: SecureChannel.receiveAllocator)
            .childChannelOption(.writeBufferWaterMark, value: SecureChannel.writeWaterMark)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { () -> Accepted in
                    let address = channel.remoteAddress?.ipAddress ?? "unknown"
                    // Refuse by closing, not by throwing: a failed initializer would end the
                    // listener's whole accept loop.
                    let token: Int
                    switch limiter.admit(address: address, channel: channel) {
                    case .admitted(let admitted): token = admitted
                    case .refused(let refusal):
                        logger.info("connection refused", metadata: ["reason": "\(refusal.message)"])
                        channel.close(promise: nil)
                        return nil
                    }
                    channel.closeFuture.whenComplete { _ in limiter.connectionClosed() }
                    let remote = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? address
                    // Created and registered atomically, so a listener that is stopping never
                    // leaves an async wrapper unfinished (NIO traps on that).
                    let accepted = try registry.register(channel) {
                        try SecureChannel.configure(
                            channel, initiator: false, remoteAddress: remote, credentials: credentials,
                            configuration: configuration, logger: logger)
                    }
                    guard let (wrapped, established) = accepted else {
                        limiter.handshakeEnded(token)
                        channel.close(promise: nil)
                        return nil
                    }
                    established.whenComplete { _ in limiter.handshakeEnded(token) }
                    return (wrapped, established)
                }
            }
        return ChannelListener(
            server: server, limiter: limiter, registry: registry, logger: logger,
            maximumMessageSize: configuration.maximumMessageSize)
    }

    /// Accepts connections until the task is cancelled, running `handler` for each channel
    /// that completes its handshake (concurrently, in a discarding task group). Handshake
    /// failures are logged and never reach `handler`.
    public func run(_ handler: @escaping @Sendable (SecureChannel) async -> Void) async throws {
        let registry = registry
        defer {
            // Connections accepted but never handed out: finish their wrappers.
            let leftovers = registry.stop()
            if !leftovers.isEmpty {
                Task { for leftover in leftovers { try? await leftover.executeThenClose { _, _ in } } }
            }
        }
        try await server.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await accepted in inbound {
                    guard let (channel, established) = accepted else { continue }
                    guard registry.consume(channel.channel) else { continue }
                    let maximumMessageSize = self.maximumMessageSize
                    group.addTask {
                        guard let peer = try? await established.get() else {
                            // Finish the async wrapper properly; the connection is closed already.
                            try? await channel.executeThenClose { _, _ in }
                            return
                        }
                        await handler(
                            SecureChannel(peer: peer, wrapped: channel, maximumMessageSize: maximumMessageSize))
                    }
                }
            }
        }
    }

    /// Current (connections, pending handshakes).
    public var counts: (connections: Int, pendingHandshakes: Int) { limiter.counts }
}
