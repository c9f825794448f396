/// An error from the crypto layer.
///
/// Modelled on NIOFileSystem's `FileSystemError`: a stable ``Code`` to switch on plus a
/// human-readable ``message``, so new kinds of failure never break callers.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidLength, authenticationFailed, invalidKey, invalidSignature, invalidEncoding
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A key, nonce, hash length or other input had the wrong size.
        public static let invalidLength = Code(.invalidLength)
        /// A ciphertext failed authentication: tampered, truncated, or the wrong key or nonce.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// A key is unusable (e.g. a low-order X25519 point or a non-canonical Ed25519 key).
        public static let invalidKey = Code(.invalidKey)
        /// A signature did not verify.
        public static let invalidSignature = Code(.invalidSignature)
        /// A textual encoding (hex, base32, node ID) could not be decoded.
        public static let invalidEncoding = Code(.invalidEncoding)

        public var description: String {
            switch wrapped {
            case .invalidLength: "invalid length"
            case .authenticationFailed: "authentication failed"
            case .invalidKey: "invalid key"
            case .invalidSignature: "invalid signature"
            case .invalidEncoding: "invalid encoding"
            }
        }
    }

    /// The kind of error.
    public var code: Code
    /// A one-line explanation for logs and users.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func length(_ what: String, expected: Int, got: Int) -> CryptoError {
        CryptoError(code: .invalidLength, message: "\(what) must be \(expected) bytes, got \(got)")
    }

    static func check(_ what: String, count: Int, expected: Int) throws(CryptoError) {
        if count != expected { throw length(what, expected: expected, got: count) }
    }
}
