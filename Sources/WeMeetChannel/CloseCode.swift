/// Why a channel was closed: the `u16` code of a CLOSE record (Protocol.md §4.7).
public struct CloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The application closed the channel.
    public static let normal = CloseCode(rawValue: 0)
    /// The node is shutting down.
    public static let shuttingDown = CloseCode(rawValue: 1)
    /// The peer violated the protocol.
    public static let protocolError = CloseCode(rawValue: 2)
    /// A message exceeded the maximum size.
    public static let messageTooLarge = CloseCode(rawValue: 3)
    /// Nothing was received for the idle timeout.
    public static let idleTimeout = CloseCode(rawValue: 4)
    /// Another connection to the same peer was kept (Protocol.md §4.8).
    public static let duplicateConnection = CloseCode(rawValue: 5)
    /// The peer is not allowed (blocked, or not a node this one talks to).
    public static let notAuthorised = CloseCode(rawValue: 6)
    /// No common protocol version.
    public static let versionMismatch = CloseCode(rawValue: 7)
    /// The peer connected to itself.
    public static let selfConnection = CloseCode(rawValue: 8)
    /// The node is at its connection limit.
    public static let overloaded = CloseCode(rawValue: 9)

    public var description: String {
        switch self {
        case .normal: "normal"
        case .shuttingDown: "shutting down"
        case .protocolError: "protocol error"
        case .messageTooLarge: "message too large"
        case .idleTimeout: "idle timeout"
        case .duplicateConnection: "duplicate connection"
        case .notAuthorised: "not authorised"
        case .versionMismatch: "version mismatch"
        case .selfConnection: "self connection"
        case .overloaded: "overloaded"
        default: "code \(rawValue)"
        }
    }
}
