import CSodium

extension Ed25519 {
    /// An Ed25519 public key: 32 bytes, the encoding of RFC 8032 §5.1.5.
    public struct PublicKey: Hashable, Sendable {
        /// The 32-byte encoding.
        public let rawRepresentation: [UInt8]

        /// Wraps a 32-byte public key.
        /// - Throws: ``CryptoError`` (``CryptoError/Code/invalidLength``) for any other size.
        public init(rawRepresentation bytes: some Collection<UInt8>) throws(CryptoError) {
            try CryptoError.check("Ed25519 public key", count: bytes.count, expected: Ed25519.publicKeyLength)
            self.init(checked: Array(bytes))
        }

        /// 32 bytes the caller produced itself (libsodium's output): nothing to check.
        init(checked bytes: [UInt8]) {
            rawRepresentation = bytes
        }

        /// Whether `signature` is a valid signature of `message` by this key.
        public func isValidSignature(_ signature: Signature, for message: some Collection<UInt8>) -> Bool {
            Sodium.ensureInitialized()
            return withBytes(message) { m in
                signature.rawRepresentation.withUnsafeBufferPointer { s in
                    rawRepresentation.withUnsafeBufferPointer { pk in
                        crypto_sign_verify_detached(
                            s.baseAddress!, nonNull(m), UInt64(m.count), pk.baseAddress!) == 0
                    }
                }
            }
        }

        /// Verifies `signature`, throwing ``CryptoError/Code/invalidSignature`` when it fails.
        public func verify(_ signature: Signature, for message: some Collection<UInt8>) throws(CryptoError) {
            guard isValidSignature(signature, for: message) else {
                throw CryptoError(code: .invalidSignature, message: "Ed25519 signature does not verify")
            }
        }

        /// The X25519 public key for the same identity (`crypto_sign_ed25519_pk_to_curve25519`).
        /// - Throws: ``CryptoError/Code/invalidKey`` for a key that is not a valid point.
        public func curve25519() throws(CryptoError) -> X25519.PublicKey {
            Sodium.ensureInitialized()
            var out = [UInt8](repeating: 0, count: X25519.keyLength)
            let rc = out.withUnsafeMutableBufferPointer { o in
                rawRepresentation.withUnsafeBufferPointer { pk in
                    crypto_sign_ed25519_pk_to_curve25519(o.baseAddress!, pk.baseAddress!)
                }
            }
            guard rc == 0 else {
                throw CryptoError(code: .invalidKey, message: "Ed25519 public key is not a valid curve point")
            }
            return try X25519.PublicKey(rawRepresentation: out)
        }
    }
}
