import NIOCore

/// The sending side of a ``SecureChannel``: whole application messages (fragmented and
/// encrypted by the channel), and closing with a reason. Writes suspend while the socket
/// cannot take more.
public struct SecureChannelWriter: Sendable {
    let writer: NIOAsyncChannelOutboundWriter<ChannelOutbound>
    let maximumMessageSize: Int

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

    /// Closes the channel, telling the peer `reason`.
    public func close(_ code: CloseCode, reason: String) async throws {
        try await writer.write(.close(code, reason))
    }
}
