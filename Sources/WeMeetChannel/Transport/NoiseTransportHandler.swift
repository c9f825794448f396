import Logging
import NIOCore

/// The established channel: encrypts and fragments outgoing application messages,
/// decrypts and reassembles incoming ones, answers keepalives, rekeys both directions every
/// ``ChannelConfiguration/rekeyInterval`` messages, and closes with a CLOSE record and a
/// logged reason on any violation (Protocol.md §4.5–4.7).
package final class NoiseTransportHandler: ChannelDuplexHandler {
    package typealias InboundIn = ByteBuffer
    package typealias InboundOut = ByteBuffer
    package typealias OutboundIn = ChannelOutbound
    package typealias OutboundOut = ByteBuffer

    private var sendCipher: NoiseCipherState
    private var receiveCipher: NoiseCipherState
    private let configuration: ChannelConfiguration
    private var logger: Logger
    private var reassembly: ByteBuffer?
    private var closing = false

    /// Sending stops well before the 64-bit nonce could wrap (Protocol.md §4.6).
    package static let nonceLimit: UInt64 = 1 << 62

    package init(send: NoiseCipherState, receive: NoiseCipherState, configuration: ChannelConfiguration, logger: Logger)
    {
        self.sendCipher = send
        self.receiveCipher = receive
        self.configuration = configuration
        self.logger = logger
    }

    // MARK: Inbound

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let ciphertext = unwrapInboundIn(data)
        guard ciphertext.readableBytes >= NoiseCipherState.tagLength else {
            abort(
                context: context, .protocolError,
                SecureChannelError(code: .protocolViolation, message: "frame shorter than an authentication tag"))
            return
        }
        // Decrypt into a fresh buffer: the frame may share storage with other frames of the
        // same read, so decrypting in place would copy it first anyway.
        var frame = context.channel.allocator.buffer(capacity: ciphertext.readableBytes - NoiseCipherState.tagLength)
        var failure: NoiseError?
        ciphertext.withUnsafeReadableBytes { source in
            frame.writeWithUnsafeMutableBytes(minimumWritableBytes: source.count - NoiseCipherState.tagLength) {
                output in
                do {
                    return try receiveCipher.decrypt(source, into: output)
                } catch {
                    failure = error as? NoiseError
                    return 0
                }
            }
        }
        if let failure {
            abort(
                context: context, .protocolError,
                SecureChannelError(code: .protocolViolation, message: failure.message))
            return
        }
        let plaintextLength = frame.readableBytes
        if receiveCipher.nonce % configuration.rekeyInterval == 0 { receiveCipher.rekey() }
        frame.moveWriterIndex(to: frame.readerIndex + plaintextLength)
        // Data records, the hot path, are handled in place: the decrypted bytes are passed on
        // as a slice of the frame (zero-copy for unfragmented messages).
        guard let type = frame.readInteger(as: UInt8.self) else {
            abort(
                context: context, .protocolError,
                SecureChannelError(code: .protocolViolation, message: "malformed record: empty"))
            return
        }
        if type == ChannelRecord.dataMoreType || type == ChannelRecord.dataEndType {
            receiveData(&frame, last: type == ChannelRecord.dataEndType, context: context)
            return
        }
        let record: ChannelRecord
        do {
            record = try ChannelRecord.decode([type] + frame.readableBytesView)
        } catch {
            abort(context: context, .protocolError, error)
            return
        }
        switch record {
        case .dataMore, .dataEnd:
            break  // handled above
        case .ping:
            write(.pong, context: context, promise: nil)
            context.flush()
        case .pong:
            break
        case .close(let code, let reason):
            closing = true
            logger.debug("peer closed the channel", metadata: ["code": "\(code)", "reason": "\(reason)"])
            context.fireErrorCaught(
                SecureChannelError(
                    code: .closedByPeer, message: "peer closed the channel: \(reason) (\(code))", closeCode: code))
            context.close(promise: nil)
        }
    }

    private func receiveData(_ data: inout ByteBuffer, last: Bool, context: ChannelHandlerContext) {
        let total = (reassembly?.readableBytes ?? 0) + data.readableBytes
        guard total <= configuration.maximumMessageSize else {
            abort(
                context: context, .messageTooLarge,
                SecureChannelError(
                    code: .messageTooLarge,
                    message: "peer sent a message over \(configuration.maximumMessageSize) bytes"))
            return
        }
        if last && reassembly == nil {
            context.fireChannelRead(wrapInboundOut(data.slice()))
            return
        }
        if reassembly == nil {
            reassembly = context.channel.allocator.buffer(capacity: min(total * 2, configuration.maximumMessageSize))
        }
        reassembly!.writeBuffer(&data)
        if last {
            let message = reassembly!
            reassembly = nil
            context.fireChannelRead(wrapInboundOut(message))
        }
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch idle {
        case .write:
            write(.ping, context: context, promise: nil)
            context.flush()
        case .read:
            abort(
                context: context, .idleTimeout,
                SecureChannelError(
                    code: .idleTimeout, message: "nothing received for \(configuration.idleTimeout)",
                    closeCode: .idleTimeout))
        case .all:
            break
        }
    }

    // MARK: Outbound

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !closing else {
            promise?.fail(SecureChannelError(code: .closed, message: "the channel is closing"))
            return
        }
        switch unwrapOutboundIn(data) {
        case .message(var message):
            // SecureChannelWriter checks this first; reaching here means a caller bypassed it,
            // so fail loudly rather than silently drop the message.
            guard message.readableBytes <= configuration.maximumMessageSize else {
                let error = SecureChannelError(
                    code: .messageTooLarge,
                    message: "message of \(message.readableBytes) bytes exceeds \(configuration.maximumMessageSize)")
                promise?.fail(error)
                abort(context: context, .messageTooLarge, error)
                return
            }
            repeat {
                let chunk = message.readSlice(length: min(message.readableBytes, ChannelRecord.maximumFragment))!
                let last = message.readableBytes == 0
                writeData(chunk, last: last, context: context, promise: last ? promise : nil)
            } while message.readableBytes > 0
        case .close(let code, let reason):
            closing = true
            write(.close(code, reason), context: context, promise: nil)
            context.flush()
            context.close(promise: promise)
        }
    }

    /// Encrypts one data record straight into its frame: `u16 length ‖ E(type ‖ chunk) ‖ tag`.
    private func writeData(
        _ chunk: ByteBuffer, last: Bool, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?
    ) {
        var chunk = chunk
        let plaintextLength = 1 + chunk.readableBytes
        var frame = context.channel.allocator.buffer(capacity: 2 + plaintextLength + NoiseCipherState.tagLength)
        frame.writeInteger(UInt16(plaintextLength + NoiseCipherState.tagLength))
        frame.writeInteger(last ? ChannelRecord.dataEndType : ChannelRecord.dataMoreType)
        frame.writeBuffer(&chunk)
        frame.writeRepeatingByte(0, count: NoiseCipherState.tagLength)
        seal(&frame, plaintextLength: plaintextLength, context: context, promise: promise)
    }

    private func write(_ record: ChannelRecord, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let plaintext = record.encoded()
        var frame = context.channel.allocator.buffer(capacity: 2 + plaintext.count + NoiseCipherState.tagLength)
        frame.writeInteger(UInt16(plaintext.count + NoiseCipherState.tagLength))
        frame.writeBytes(plaintext)
        frame.writeRepeatingByte(0, count: NoiseCipherState.tagLength)
        seal(&frame, plaintextLength: plaintext.count, context: context, promise: promise)
    }

    private func seal(
        _ frame: inout ByteBuffer, plaintextLength: Int, context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) {
        guard sendCipher.nonce < Self.nonceLimit else {
            promise?.fail(SecureChannelError(code: .closed, message: "session nonce limit reached; reconnect"))
            abort(context: context, .normal, SecureChannelError(code: .closed, message: "session nonce limit reached"))
            return
        }
        do {
            try frame.withUnsafeMutableReadableBytes { (bytes) throws(NoiseError) in
                try sendCipher.encryptInPlace(
                    UnsafeMutableRawBufferPointer(rebasing: bytes[2...]), plaintextLength: plaintextLength)
            }
        } catch {
            promise?.fail(SecureChannelError(code: .protocolViolation, message: error.message))
            return
        }
        if sendCipher.nonce % configuration.rekeyInterval == 0 { sendCipher.rekey() }
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    /// Sends a CLOSE record (best effort), reports `error` to the application and closes.
    private func abort(context: ChannelHandlerContext, _ code: CloseCode, _ error: SecureChannelError) {
        guard !closing else { return }
        logger.info("closing channel", metadata: ["reason": "\(error.message)", "code": "\(code)"])
        if code != .protocolError || error.code != .protocolViolation || receiveCipher.hasKey {
            write(.close(code, error.message), context: context, promise: nil)
            context.flush()
        }
        closing = true
        var reported = error
        reported.closeCode = code
        context.fireErrorCaught(reported)
        context.close(promise: nil)
    }
}
