import CSodium

extension X25519 {
    /// An X25519 private key (a 32-byte scalar, clamped by libsodium when used).
    public struct PrivateKey: Sendable {
        /// The scalar.
        public let secret: SecureBytes
        /// The matching public key (`crypto_scalarmult_base`).
        public let publicKey: PublicKey

        /// A fresh random key.
        public init() {
            self.init(checkedSecret: SecureBytes.random(count: X25519.keyLength))
        }

        /// The key with scalar `secret`.
        /// - Throws: ``CryptoError/Code/invalidLength`` unless it is 32 bytes.
        public init(secret: SecureBytes) throws(CryptoError) {
            try CryptoError.check("X25519 private key", count: secret.count, expected: X25519.keyLength)
            self.init(checkedSecret: secret)
        }

        /// A 32-byte scalar (random, or derived by libsodium): nothing to check.
        init(checkedSecret secret: SecureBytes) {
            Sodium.ensureInitialized()
            var publicBytes = [UInt8](repeating: 0, count: X25519.keyLength)
            secret.withUnsafeBytes { s in
                publicBytes.withUnsafeMutableBufferPointer { p in
                    _ = crypto_scalarmult_base(p.baseAddress!, s.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
            self.secret = secret
            self.publicKey = PublicKey(checked: publicBytes)
        }

        /// The shared secret with `peer`: the raw X25519 output (hash it before use as a key).
        /// - Throws: ``CryptoError/Code/invalidKey`` when `peer` is a low-order point
        ///   (the result would be all zeros, RFC 7748 §6.1).
        public func sharedSecret(with peer: PublicKey) throws(CryptoError) -> SecureBytes {
            var rc: Int32 = 0
            let shared = SecureBytes(count: X25519.keyLength) { out in
                secret.withUnsafeBytes { s in
                    peer.rawRepresentation.withUnsafeBufferPointer { p in
                        rc = crypto_scalarmult(
                            out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                            s.baseAddress!.assumingMemoryBound(to: UInt8.self), p.baseAddress!)
                    }
                }
            }
            guard rc == 0 else {
                throw CryptoError(code: .invalidKey, message: "X25519 peer key is a low-order point")
            }
            return shared
        }
    }
}
