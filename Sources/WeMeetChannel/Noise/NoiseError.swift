/// WeMeetChannel — the secure channel: every byte between two nodes goes through it.
///
/// This module owns the Noise Protocol Framework (rev. 34) for the suite
/// `25519_ChaChaPoly_BLAKE2b` — ``NoiseCipherState``, ``NoiseSymmetricState``,
/// ``NoiseHandshakeState`` and every fundamental, deferred and PSK pattern — and WeMeet's
/// channel on top of it: prologue and identity binding, version negotiation, framing,
/// fragmentation, rekeying, keepalive, limits and the SwiftNIO transport (Protocol.md §4).

/// An error from the Noise layer: a failed handshake or transport message.
public struct NoiseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case unsupportedProtocol, invalidMessage, decryptFailed, invalidState, nonceExhausted, invalidKey
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A protocol name or pattern this implementation does not support.
        public static let unsupportedProtocol = Code(.unsupportedProtocol)
        /// A handshake message was too short, too long or malformed.
        public static let invalidMessage = Code(.invalidMessage)
        /// A message failed authentication (tampered, replayed, wrong keys or prologue).
        public static let decryptFailed = Code(.decryptFailed)
        /// A call out of order (e.g. writing when it is the peer's turn).
        public static let invalidState = Code(.invalidState)
        /// The 64-bit nonce would wrap; the session must end.
        public static let nonceExhausted = Code(.nonceExhausted)
        /// A DH produced an unusable result (low-order point) or a key was missing.
        public static let invalidKey = Code(.invalidKey)

        public var description: String {
            switch wrapped {
            case .unsupportedProtocol: "unsupported protocol"
            case .invalidMessage: "invalid message"
            case .decryptFailed: "decryption failed"
            case .invalidState: "invalid state"
            case .nonceExhausted: "nonce exhausted"
            case .invalidKey: "invalid key"
            }
        }
    }

    /// The kind of error.
    public var code: Code
    /// A one-line explanation.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
