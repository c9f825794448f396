import NIOCore

/// Splits the TCP byte stream into frames: `u16 length ‖ length bytes` (Protocol.md §4.5).
///
/// The largest accepted frame is 1024 bytes until the handshake completes (so an
/// unauthenticated peer can make this node buffer at most that much), then 65535. A length
/// over the limit closes the connection at once, before any of the frame is buffered.
final class FrameDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The largest frame body accepted now.
    var maximumFrameLength: Int
    private var cumulation: ByteBuffer?
    private var failed = false

    init(maximumFrameLength: Int) {
        self.maximumFrameLength = maximumFrameLength
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let incoming = unwrapInboundIn(data)
        if cumulation == nil {
            cumulation = incoming
        } else {
            var incoming = incoming
            cumulation!.writeBuffer(&incoming)
        }
        while !failed, var buffer = cumulation, let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self)
        {
            guard Int(length) <= maximumFrameLength else {
                failed = true
                cumulation = nil
                context.fireErrorCaught(
                    SecureChannelError(
                        code: .messageTooLarge,
                        message: "frame of \(length) bytes exceeds the limit of \(maximumFrameLength)",
                        closeCode: .messageTooLarge))
                return
            }
            guard buffer.readableBytes >= 2 + Int(length) else { break }
            buffer.moveReaderIndex(forwardBy: 2)
            let frame = buffer.readSlice(length: Int(length))!
            cumulation = buffer.readableBytes > 0 ? buffer : nil
            context.fireChannelRead(wrapInboundOut(frame))
        }
        if var buffer = cumulation, buffer.readerIndex > 65536 {
            buffer.discardReadBytes()
            cumulation = buffer
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        cumulation = nil
        context.fireChannelInactive()
    }

    /// Bytes buffered for an incomplete frame.
    var bufferedBytes: Int { cumulation?.readableBytes ?? 0 }
}

extension ByteBuffer {
    /// Appends `u16 length ‖ bytes`.
    mutating func writeFrame(_ bytes: [UInt8]) {
        precondition(bytes.count <= Int(UInt16.max))
        writeInteger(UInt16(bytes.count))
        writeBytes(bytes)
    }
}
