import CSodium

/// Anonymous public-key encryption, libsodium's `crypto_box_seal`: anyone can seal to a
/// public key, only its private key opens, and the sender stays anonymous.
public enum SealedBox {
    /// Bytes added to each message (ephemeral public key + tag).
    public static let overhead = crypto_box_sealbytes()

    /// Seals `message` to `recipient` under a fresh ephemeral key.
    public static func seal(_ message: some Collection<UInt8>, to recipient: X25519.PublicKey) -> [UInt8] {
        Sodium.ensureInitialized()
        let length = message.count + overhead
        return [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            withBytes(message) { m in
                recipient.rawRepresentation.withUnsafeBufferPointer { pk in
                    _ = crypto_box_seal(out.baseAddress!, nonNull(m), UInt64(m.count), pk.baseAddress!)
                }
            }
            initialized = length
        }
    }

    /// Opens a sealed box addressed to `recipient`.
    /// - Throws: ``CryptoError/Code/authenticationFailed`` when tampered, truncated or not ours.
    public static func open(
        _ sealed: some Collection<UInt8>, with recipient: X25519.PrivateKey
    ) throws(CryptoError)
        -> [UInt8]
    {
        guard sealed.count >= overhead else {
            throw CryptoError(
                code: .authenticationFailed,
                message: "sealed box is \(sealed.count) bytes, shorter than its \(overhead)-byte overhead")
        }
        Sodium.ensureInitialized()
        var rc: Int32 = 0
        let length = sealed.count - overhead
        let out = [UInt8](unsafeUninitializedCapacity: max(length, 1)) { out, initialized in
            withBytes(sealed) { c in
                recipient.secret.withUnsafeBytes { sk in
                    recipient.publicKey.rawRepresentation.withUnsafeBufferPointer { pk in
                        rc = crypto_box_seal_open(
                            out.baseAddress!, nonNull(c), UInt64(c.count), pk.baseAddress!,
                            sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
            initialized = rc == 0 ? length : 0
        }
        guard rc == 0 else {
            throw CryptoError(code: .authenticationFailed, message: "sealed box failed authentication")
        }
        return out
    }
}
