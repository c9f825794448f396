import CSodium

extension Ed25519 {
    /// An Ed25519 private key. Its secret lives in ``SecureBytes`` and is wiped on release.
    public struct PrivateKey: Sendable {
        /// libsodium's 64-byte secret key: seed ‖ public key.
        private let secretKey: SecureBytes
        /// The matching public key.
        public let publicKey: PublicKey

        /// A fresh random key.
        public init() {
            self.init(validSeed: SecureBytes.random(count: Ed25519.seedLength))
        }

        /// The key whose 32-byte seed (RFC 8032's "private key") is `seed`.
        /// - Throws: ``CryptoError/Code/invalidLength`` unless the seed is 32 bytes.
        public init(seed: SecureBytes) throws(CryptoError) {
            try CryptoError.check("Ed25519 seed", count: seed.count, expected: Ed25519.seedLength)
            self.init(validSeed: seed)
        }

        private init(validSeed seed: SecureBytes) {
            Sodium.ensureInitialized()
            var publicBytes = [UInt8](repeating: 0, count: Ed25519.publicKeyLength)
            secretKey = SecureBytes(count: Ed25519.secretKeyLength) { sk in
                seed.withUnsafeBytes { s in
                    publicBytes.withUnsafeMutableBufferPointer { pk in
                        _ = crypto_sign_seed_keypair(
                            pk.baseAddress!, sk.baseAddress!.assumingMemoryBound(to: UInt8.self),
                            s.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
            publicKey = PublicKey(checked: publicBytes)
        }

        /// The 32-byte seed, which is all that needs storing to recreate the key.
        public var seed: SecureBytes {
            secretKey.withUnsafeBytes { SecureBytes($0[0..<Ed25519.seedLength]) }
        }

        /// Signs `message` (deterministic, RFC 8032).
        public func signature(for message: some Collection<UInt8>) -> Signature {
            var out = [UInt8](repeating: 0, count: Ed25519.signatureLength)
            withBytes(message) { m in
                secretKey.withUnsafeBytes { sk in
                    out.withUnsafeMutableBufferPointer { sig in
                        _ = crypto_sign_detached(
                            sig.baseAddress!, nil, nonNull(m), UInt64(m.count),
                            sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
            return Signature(checked: out)
        }

        /// The X25519 private key for the same identity (`crypto_sign_ed25519_sk_to_curve25519`).
        public func curve25519() -> X25519.PrivateKey {
            let scalar = SecureBytes(count: X25519.keyLength) { out in
                secretKey.withUnsafeBytes { sk in
                    _ = crypto_sign_ed25519_sk_to_curve25519(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
            return X25519.PrivateKey(checkedSecret: scalar)
        }
    }
}
