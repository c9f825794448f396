import NIOCore

/// What an application writes to a ``SecureChannel``.
public enum ChannelOutbound: Sendable {
    /// An application message (at most ``ChannelConfiguration/maximumMessageSize`` bytes).
    case message(ByteBuffer)
    /// Close the channel, telling the peer why.
    case close(CloseCode, String)
}
