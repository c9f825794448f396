extension Ed25519 {
    /// A 64-byte Ed25519 signature.
    public struct Signature: Hashable, Sendable {
        /// The 64-byte encoding (R ‖ S).
        public let rawRepresentation: [UInt8]

        /// Wraps a 64-byte signature.
        /// - Throws: ``CryptoError`` (``CryptoError/Code/invalidLength``) for any other size.
        public init(rawRepresentation bytes: some Collection<UInt8>) throws(CryptoError) {
            try CryptoError.check("Ed25519 signature", count: bytes.count, expected: Ed25519.signatureLength)
            self.init(checked: Array(bytes))
        }

        /// 64 bytes libsodium produced: nothing to check.
        init(checked bytes: [UInt8]) {
            rawRepresentation = bytes
        }
    }
}
