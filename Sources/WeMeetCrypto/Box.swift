import CSodium

/// Public-key authenticated encryption, libsodium's `crypto_box_easy`
/// (X25519 + XSalsa20-Poly1305): only the holder of the recipient's private key can open it,
/// and opening proves the sender's key sealed it.
public enum Box {
    /// Bytes in a nonce.
    public static let nonceLength = Int(crypto_box_NONCEBYTES)
    /// Bytes of authentication tag added to each message.
    public static let tagLength = Int(crypto_box_MACBYTES)

    /// Seals `message` from `sender` to `recipient` under `nonce` (never reuse a nonce for a pair).
    /// - Returns: tag ‖ ciphertext, as `crypto_box_easy` writes it.
    public static func seal(
        _ message: some Collection<UInt8>, nonce: some Collection<UInt8>,
        to recipient: X25519.PublicKey, from sender: X25519.PrivateKey
    ) throws(CryptoError) -> [UInt8] {
        try CryptoError.check("box nonce", count: nonce.count, expected: nonceLength)
        Sodium.ensureInitialized()
        var rc: Int32 = 0
        let length = message.count + tagLength
        let out = [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            withBytes(message) { m in
                withBytes(nonce) { n in
                    sender.secret.withUnsafeBytes { sk in
                        recipient.rawRepresentation.withUnsafeBufferPointer { pk in
                            rc = crypto_box_easy(
                                out.baseAddress!, nonNull(m), UInt64(m.count), nonNull(n),
                                pk.baseAddress!, sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
                        }
                    }
                }
            }
            initialized = length
        }
        guard rc == 0 else {
            throw CryptoError(code: .invalidKey, message: "box recipient key is a low-order point")
        }
        return out
    }

    /// Opens a box sealed by `sender` for `recipient`.
    /// - Throws: ``CryptoError/Code/authenticationFailed`` when tampered, truncated, or the keys
    ///   or nonce are not the ones it was sealed with.
    public static func open(
        _ box: some Collection<UInt8>, nonce: some Collection<UInt8>,
        from sender: X25519.PublicKey, to recipient: X25519.PrivateKey
    ) throws(CryptoError) -> [UInt8] {
        try CryptoError.check("box nonce", count: nonce.count, expected: nonceLength)
        guard box.count >= tagLength else {
            throw CryptoError(
                code: .authenticationFailed, message: "box is \(box.count) bytes, shorter than its tag")
        }
        Sodium.ensureInitialized()
        var rc: Int32 = 0
        let length = box.count - tagLength
        let out = [UInt8](unsafeUninitializedCapacity: max(length, 1)) { out, initialized in
            withBytes(box) { c in
                withBytes(nonce) { n in
                    recipient.secret.withUnsafeBytes { sk in
                        sender.rawRepresentation.withUnsafeBufferPointer { pk in
                            rc = crypto_box_open_easy(
                                out.baseAddress!, nonNull(c), UInt64(c.count), nonNull(n),
                                pk.baseAddress!, sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
                        }
                    }
                }
            }
            initialized = rc == 0 ? length : 0
        }
        guard rc == 0 else {
            throw CryptoError(code: .authenticationFailed, message: "box failed authentication")
        }
        return out
    }
}
