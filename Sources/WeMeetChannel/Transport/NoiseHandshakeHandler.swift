import Logging
import NIOCore

/// Runs ``ChannelHandshake`` over frames, with a timeout. On success it installs a
/// ``NoiseTransportHandler`` in its place and succeeds `established`; on any failure it logs
/// the reason, fails `established` and closes the connection.
package final class NoiseHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = ByteBuffer
    package typealias OutboundOut = ByteBuffer

    private var handshake: ChannelHandshake
    private let isInitiator: Bool
    private let configuration: ChannelConfiguration
    private let decoder: FrameDecoder
    private let established: EventLoopPromise<PeerInfo>
    private var logger: Logger
    private var timeout: Scheduled<Void>?
    private var done = false
    /// Whether the peer sent anything (a connection closed silently is a probe, logged quietly).
    private var receivedAny = false
    /// The handshake completed but the peer is refused; its CLOSE record is being written.
    private var refusing = false

    package init(
        initiator: Bool, credentials: ChannelCredentials, configuration: ChannelConfiguration, remoteAddress: String,
        decoder: FrameDecoder, established: EventLoopPromise<PeerInfo>, logger: Logger
    ) {
        self.handshake = ChannelHandshake(
            initiator: initiator, credentials: credentials, configuration: configuration, remoteAddress: remoteAddress)
        self.isInitiator = initiator
        self.configuration = configuration
        self.decoder = decoder
        self.established = established
        self.logger = logger
        self.logger[metadataKey: "address"] = "\(remoteAddress)"
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: TimeAmount(configuration.handshakeTimeout)) {
            let (handler, context) = loopBound.value
            handler.fail(
                context: context,
                SecureChannelError(
                    code: .handshakeTimeout,
                    message: "handshake not completed within \(handler.configuration.handshakeTimeout)"))
        }
        if context.channel.isActive { start(context: context) }
    }

    /// Removed without completing (a dial refused before the channel became active, which
    /// never sees `channelInactive`): the timer goes and the handshake fails now, so no
    /// timer outlives the connection and reports a timeout ten seconds later.
    package func handlerRemoved(context: ChannelHandlerContext) {
        timeout?.cancel()
        timeout = nil
        guard !done else { return }
        done = true
        established.fail(SecureChannelError(code: .handshakeFailed, message: "connection closed during the handshake"))
    }

    package func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private var started = false

    private func start(context: ChannelHandlerContext) {
        guard isInitiator, !started, !done else { return }
        started = true
        do {
            send(try handshake.start(), context: context)
        } catch {
            fail(context: context, error)
        }
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Frames that arrive in the same read as the last handshake message belong to the
        // transport handler installed after this one.
        guard !done else {
            context.fireChannelRead(data)
            return
        }
        guard !refusing else { return }
        receivedAny = true
        let frame = Array(buffer: unwrapInboundIn(data))
        let output: ChannelHandshake.Output
        do {
            output = try handshake.receive(frame)
        } catch {
            fail(context: context, error)
            return
        }
        if let reply = output.reply { send(reply, context: context) }
        if let failure = output.failure {
            if let farewell = output.farewell {
                // Refused after the handshake completed: the CLOSE record goes out before TCP
                // closes (§4.3), so the peer learns the code.
                var buffer = context.channel.allocator.buffer(capacity: farewell.count + 2)
                buffer.writeFrame(farewell)
                // Nothing more is read meanwhile (`refusing`); the failure is reported once the
                // record is written.
                refusing = true
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in
                    let (handler, context) = loopBound.value
                    handler.refusing = false
                    handler.fail(context: context, failure)
                }
                return
            }
            fail(context: context, failure)
            return
        }
        if let result = output.established {
            complete(context: context, result)
        }
    }

    package func errorCaught(context: ChannelHandlerContext, error: Error) {
        let channelError =
            error as? SecureChannelError
            ?? SecureChannelError(code: .protocolViolation, message: "connection error: \(error)")
        fail(context: context, channelError)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        if receivedAny || isInitiator {
            fail(
                context: context,
                SecureChannelError(code: .handshakeFailed, message: "connection closed during the handshake"))
        } else {
            // Nothing was said: a radar liveness probe (Protocol.md §5.4) or a port scan.
            fail(
                context: context,
                SecureChannelError(code: .handshakeFailed, message: "connection closed before the handshake began"),
                level: .debug)
        }
        context.fireChannelInactive()
    }

    private func send(_ message: [UInt8], context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: message.count + 2)
        buffer.writeFrame(message)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private func complete(context: ChannelHandlerContext, _ result: ChannelHandshake.Established) {
        done = true
        timeout?.cancel()
        decoder.maximumFrameLength = NoiseHandshakeState.maximumMessageLength
        var peerLogger = logger
        peerLogger[metadataKey: "peer"] = "\(result.peer.nodeID)"
        peerLogger.debug("channel established", metadata: ["version": "\(result.peer.protocolVersion)"])
        let transport = NoiseTransportHandler(
            send: result.send, receive: result.receive, configuration: configuration, logger: peerLogger)
        do {
            try context.pipeline.syncOperations.addHandlers(
                [
                    IdleStateHandler(
                        readTimeout: TimeAmount(configuration.idleTimeout),
                        writeTimeout: TimeAmount(configuration.keepaliveInterval)),
                    transport,
                ],
                position: .after(self))
        } catch {
            fail(context: context, SecureChannelError(code: .protocolViolation, message: "pipeline: \(error)"))
            return
        }
        established.succeed(result.peer)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func fail(context: ChannelHandlerContext, _ error: Error, level: Logger.Level = .info) {
        guard !done, !refusing else { return }
        done = true
        timeout?.cancel()
        let channelError =
            error as? SecureChannelError
            ?? SecureChannelError(code: .handshakeFailed, message: "handshake failed: \(error)")
        logger.log(level: level, "handshake failed", metadata: ["reason": "\(channelError.message)"])
        established.fail(channelError)
        context.close(promise: nil)
    }
}

extension TimeAmount {
    /// The same span as `duration`, in nanoseconds.
    package init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
