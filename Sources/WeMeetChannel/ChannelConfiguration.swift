/// Limits, timeouts and versions of the secure channel (Protocol.md §4.6). The defaults are
/// the documented ones; tests shorten the timeouts.
public struct ChannelConfiguration: Sendable {
    /// The network bound into the prologue.
    public var network: NetworkID = .default
    /// Lowest protocol version spoken.
    public var minimumVersion: UInt16 = 1
    /// Highest protocol version spoken.
    public var maximumVersion: UInt16 = 1
    /// A handshake not completed within this is abandoned.
    public var handshakeTimeout: Duration = .seconds(10)
    /// A PING is sent after this long without sending anything.
    public var keepaliveInterval: Duration = .seconds(15)
    /// The channel is closed after this long without receiving anything.
    public var idleTimeout: Duration = .seconds(45)
    /// The largest application message, sent or received.
    public var maximumMessageSize: Int = 1 << 20
    /// The most connections a server keeps at once (authenticated or not).
    public var maximumConnections: Int = 256
    /// The most unauthenticated handshakes in progress at once.
    public var maximumPendingHandshakes: Int = 64
    /// The most unauthenticated handshakes in progress from one remote IP address.
    public var maximumHandshakesPerAddress: Int = 4
    /// Each direction's cipher is rekeyed (Noise §11.3) after this many messages.
    public var rekeyInterval: UInt64 = 1 << 16
    /// Application messages buffered inbound before the channel stops reading (backpressure).
    public var inboundBufferedMessages: Int = 64

    public init() {}

    /// The TCP port a node listens on unless told otherwise (Protocol.md §4.1).
    public static let defaultPort = 7700

    /// The largest frame accepted before the handshake completes (Protocol.md §4.5).
    package static let maximumHandshakeFrame = 1024
}
