import NIOCore

/// The sending side of a ``SecureChannel``: whole application messages (fragmented and
/// encrypted by the channel), and closing with a reason. Writes suspend while the socket
/// cannot take more.
public struct SecureChannelWriter: Sendable {
    package let writer: NIOAsyncChannelOutboundWriter<ChannelOutbound>
    /// The connection itself, closed without ceremony when a CLOSE cannot be written.
    package let channel: any Channel
    package let maximumMessageSize: Int

    /// How long a CLOSE may wait for the socket to take it (Protocol.md §4.7): a peer that
    /// stops reading would otherwise hold the connection open as long as it keeps sending.
    package static let closeGrace = TimeAmount.seconds(2)

    /// Sends one application message.
    /// - Throws: ``SecureChannelError`` (``SecureChannelError/Code/messageTooLarge``) for a
    ///   message over the limit, before anything is sent; the channel stays usable.
    public func write(_ message: ByteBuffer) async throws {
        guard message.readableBytes <= maximumMessageSize else {
            throw SecureChannelError(
                code: .messageTooLarge,
                message: "message of \(message.readableBytes) bytes exceeds the limit of \(maximumMessageSize)")
        }
        try await writer.write(.message(message))
    }

    /// Sends one application message.
    public func send(_ bytes: some Sequence<UInt8>) async throws {
        try await write(ByteBuffer(bytes: bytes))
    }

    /// Closes the channel, telling the peer `reason`. If the CLOSE record cannot be handed
    /// to the socket within ``closeGrace`` (the peer is not reading), the connection is
    /// closed without it.
    public func close(_ code: CloseCode, reason: String) async throws {
        let channel = channel
        let deadline = channel.eventLoop.scheduleTask(in: Self.closeGrace) { channel.close(promise: nil) }
        defer { deadline.cancel() }
        try await writer.write(.close(code, reason))
    }
}
