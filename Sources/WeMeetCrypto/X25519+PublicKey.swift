extension X25519 {
    /// An X25519 public key (a Montgomery u-coordinate, 32 bytes little-endian).
    public struct PublicKey: Hashable, Sendable {
        /// The 32-byte encoding.
        public let rawRepresentation: [UInt8]

        /// Wraps a 32-byte public key.
        /// - Throws: ``CryptoError/Code/invalidLength`` for any other size.
        public init(rawRepresentation bytes: some Collection<UInt8>) throws(CryptoError) {
            try CryptoError.check("X25519 public key", count: bytes.count, expected: X25519.keyLength)
            self.init(checked: Array(bytes))
        }

        /// 32 bytes libsodium produced: nothing to check.
        init(checked bytes: [UInt8]) {
            rawRepresentation = bytes
        }
    }
}
