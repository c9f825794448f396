import NIOCore

/// Splits the TCP byte stream into frames: `u16 length ‖ length bytes` (Protocol.md §4.5).
///
/// The largest accepted frame is 1024 bytes until the handshake completes (so an
/// unauthenticated peer can make this node buffer at most that much), then 65535. A length
/// over the limit closes the connection at once, before any of the frame is buffered.
package final class FrameDecoder: ChannelInboundHandler {
    package typealias InboundIn = ByteBuffer
    package typealias InboundOut = ByteBuffer

    /// The largest frame body accepted now.
    package var maximumFrameLength: Int
    private var cumulation: ByteBuffer?
    private var failed = false

    package init(maximumFrameLength: Int) {
        self.maximumFrameLength = maximumFrameLength
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        // Complete a frame left over from the last read by copying only its missing bytes;
        // whole frames in this read are then passed on as slices, without copying.
        if var partial = cumulation {
            cumulation = nil
            if partial.readableBytes < 2 {
                var head = incoming.readSlice(length: min(2 - partial.readableBytes, incoming.readableBytes))!
                partial.writeBuffer(&head)
            }
            guard let length = partial.getInteger(at: partial.readerIndex, as: UInt16.self) else {
                cumulation = partial
                return
            }
            guard checkLimit(Int(length), context: context) else { return }
            let missing = 2 + Int(length) - partial.readableBytes
            var body = incoming.readSlice(length: min(missing, incoming.readableBytes))!
            partial.writeBuffer(&body)
            guard partial.readableBytes == 2 + Int(length) else {
                cumulation = partial
                return
            }
            partial.moveReaderIndex(forwardBy: 2)
            context.fireChannelRead(wrapInboundOut(partial))
        }
        while !failed, let length = incoming.getInteger(at: incoming.readerIndex, as: UInt16.self) {
            guard checkLimit(Int(length), context: context) else { return }
            guard incoming.readableBytes >= 2 + Int(length) else { break }
            incoming.moveReaderIndex(forwardBy: 2)
            let frame = incoming.readSlice(length: Int(length))!
            context.fireChannelRead(wrapInboundOut(frame))
        }
        if !failed && incoming.readableBytes > 0 {
            // At most one partial frame (≤ 64 KiB + 2) is kept; copy it so the large read
            // buffer it came from can be freed.
            var rest = context.channel.allocator.buffer(capacity: incoming.readableBytes)
            rest.writeBuffer(&incoming)
            cumulation = rest
        }
    }

    private func checkLimit(_ length: Int, context: ChannelHandlerContext) -> Bool {
        guard length <= maximumFrameLength else {
            failed = true
            cumulation = nil
            context.fireErrorCaught(
                SecureChannelError(
                    code: .messageTooLarge,
                    message: "frame of \(length) bytes exceeds the limit of \(maximumFrameLength)",
                    closeCode: .messageTooLarge))
            return false
        }
        return true
    }

    package func channelInactive(context: ChannelHandlerContext) {
        cumulation = nil
        context.fireChannelInactive()
    }

    /// Bytes buffered for an incomplete frame.
    package var bufferedBytes: Int { cumulation?.readableBytes ?? 0 }
}

extension ByteBuffer {
    /// Appends `u16 length ‖ bytes`.
    package mutating func writeFrame(_ bytes: [UInt8]) {
        precondition(bytes.count <= Int(UInt16.max))
        writeInteger(UInt16(bytes.count))
        writeBytes(bytes)
    }
}
