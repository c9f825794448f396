import Logging
import NIOCore
import NIOPosix

/// An authenticated, encrypted connection to another node, as async sequences of
/// application messages (Protocol.md §4).
///
/// Obtain one from ``SecureChannel/connect(host:port:credentials:configuration:group:logger:)``
/// or from a ``ChannelListener``; use it inside ``executeThenClose(_:)``. Inbound messages
/// arrive in order with backpressure (a slow reader makes the channel stop reading from the
/// socket); writes suspend while the socket cannot take more. When the peer closes with a
/// reason, or the channel fails, the inbound sequence throws a ``SecureChannelError`` saying why.
public struct SecureChannel: Sendable {
    /// The authenticated peer.
    public let peer: PeerInfo
    package let wrapped: NIOAsyncChannel<ByteBuffer, ChannelOutbound>
    /// The largest message ``Outbound`` accepts.
    package let maximumMessageSize: Int

    /// Incoming application messages.
    public typealias Inbound = NIOAsyncChannelInboundStream<ByteBuffer>
    /// Outgoing messages and close requests.
    public typealias Outbound = SecureChannelWriter

    /// Runs `body` with the channel's streams, then closes the channel.
    public func executeThenClose<Result: Sendable>(
        _ body: (_ inbound: Inbound, _ outbound: Outbound) async throws -> Result
    ) async throws -> Result {
        try await wrapped.executeThenClose { inbound, outbound in
            try await body(
                inbound,
                SecureChannelWriter(writer: outbound, channel: wrapped.channel, maximumMessageSize: maximumMessageSize))
        }
    }

    /// Connects to `host:port` and runs the handshake as the initiator.
    /// - Throws: ``SecureChannelError`` for handshake failures (with the peer's reason when it
    ///   refused), or the socket's error when the connection itself failed.
    public static func connect(
        host: String, port: Int, credentials: ChannelCredentials, configuration: ChannelConfiguration = .init(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "wemeet.channel"), localAddress: SocketAddress? = nil
    ) async throws -> SecureChannel {
        var bootstrap = ClientBootstrap(group: group)
        if let localAddress { bootstrap = bootstrap.bind(to: localAddress) }
        let (channel, established) =
            try await bootstrap
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: SecureChannel.receiveAllocator)
            .channelOption(.writeBufferWaterMark, value: SecureChannel.writeWaterMark)
            .connectTimeout(TimeAmount(configuration.handshakeTimeout))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configure(
                        channel, initiator: true, remoteAddress: "\(host):\(port)", credentials: credentials,
                        configuration: configuration, logger: logger)
                }
            }
        do {
            // A dial cancelled mid-handshake (its node stopping) ends now, not after the
            // handshake completes at the other end as a connection nobody will use.
            let peer = try await withTaskCancellationHandler {
                try await established.get()
            } onCancel: {
                channel.channel.close(promise: nil)
            }
            return SecureChannel(peer: peer, wrapped: channel, maximumMessageSize: configuration.maximumMessageSize)
        } catch {
            try? await channel.executeThenClose { _, _ in }
            throw error
        }
    }

    /// Reads of up to 1 MiB, so a stream of 64 KiB frames is not cut into many small reads.
    package static let receiveAllocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 4096, maximum: 1 << 20)
    /// Writers suspend above 4 MiB queued and resume below 1 MiB: bounded, yet one large
    /// message does not flip writability on every frame.
    package static let writeWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 1 << 20, high: 4 << 20)

    /// Installs the channel's handlers on a new connection; returns the async wrapper and a
    /// future for the handshake. Must run on the channel's event loop.
    package static func configure(
        _ channel: any Channel, initiator: Bool, remoteAddress: String, credentials: ChannelCredentials,
        configuration: ChannelConfiguration, logger: Logger
    ) throws -> (NIOAsyncChannel<ByteBuffer, ChannelOutbound>, EventLoopFuture<PeerInfo>) {
        let established = try installHandlers(
            channel, initiator: initiator, remoteAddress: remoteAddress, credentials: credentials,
            configuration: configuration, logger: logger)
        let wrapped = try NIOAsyncChannel<ByteBuffer, ChannelOutbound>(
            wrappingChannelSynchronously: channel,
            configuration: .init(
                backPressureStrategy: .init(
                    lowWatermark: max(1, configuration.inboundBufferedMessages / 2),
                    highWatermark: configuration.inboundBufferedMessages)))
        return (wrapped, established)
    }

    /// Installs the frame decoder and the handshake handler; the future completes with the
    /// handshake. Must run on the channel's event loop.
    package static func installHandlers(
        _ channel: any Channel, initiator: Bool, remoteAddress: String, credentials: ChannelCredentials,
        configuration: ChannelConfiguration, logger: Logger
    ) throws -> EventLoopFuture<PeerInfo> {
        let established = channel.eventLoop.makePromise(of: PeerInfo.self)
        let decoder = FrameDecoder(maximumFrameLength: ChannelConfiguration.maximumHandshakeFrame)
        let handshake = NoiseHandshakeHandler(
            initiator: initiator, credentials: credentials, configuration: configuration,
            remoteAddress: remoteAddress, decoder: decoder, established: established, logger: logger)
        try channel.pipeline.syncOperations.addHandlers([decoder, handshake])
        return established.futureResult
    }
}
