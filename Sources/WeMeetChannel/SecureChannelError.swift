/// An error from the secure channel: a failed handshake, a refused or closed connection, or a
/// peer that broke the protocol. ``message`` is the logged, user-readable reason.
public struct SecureChannelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case handshakeFailed, handshakeTimeout, versionMismatch, refused, protocolViolation,
                messageTooLarge, closedByPeer, idleTimeout, connectionLimit, identityMismatch, closed
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// Cryptographic failure: wrong network or prologue, tampering, bad keys.
        public static let handshakeFailed = Code(.handshakeFailed)
        /// The peer did not complete the handshake in time.
        public static let handshakeTimeout = Code(.handshakeTimeout)
        /// No protocol version both sides speak.
        public static let versionMismatch = Code(.versionMismatch)
        /// The peer refused the connection and said why.
        public static let refused = Code(.refused)
        /// Malformed frames, records or payloads.
        public static let protocolViolation = Code(.protocolViolation)
        /// A frame or message over the limits of Protocol.md §4.
        public static let messageTooLarge = Code(.messageTooLarge)
        /// The peer closed the channel with a reason.
        public static let closedByPeer = Code(.closedByPeer)
        /// Nothing arrived for longer than the idle timeout.
        public static let idleTimeout = Code(.idleTimeout)
        /// Too many connections or handshakes.
        public static let connectionLimit = Code(.connectionLimit)
        /// The peer is not who it was expected to be (or is this node itself).
        public static let identityMismatch = Code(.identityMismatch)
        /// The channel is already closed.
        public static let closed = Code(.closed)

        public var description: String {
            switch wrapped {
            case .handshakeFailed: "handshake failed"
            case .handshakeTimeout: "handshake timeout"
            case .versionMismatch: "version mismatch"
            case .refused: "refused"
            case .protocolViolation: "protocol violation"
            case .messageTooLarge: "message too large"
            case .closedByPeer: "closed by peer"
            case .idleTimeout: "idle timeout"
            case .connectionLimit: "connection limit"
            case .identityMismatch: "identity mismatch"
            case .closed: "closed"
            }
        }
    }

    /// The kind of error.
    public var code: Code
    /// A one-line explanation.
    public var message: String
    /// The close code sent or received, when the error ended a channel (Protocol.md §4.7).
    public var closeCode: CloseCode?

    public init(code: Code, message: String, closeCode: CloseCode? = nil) {
        self.code = code
        self.message = message
        self.closeCode = closeCode
    }

    public var description: String { message }
}
