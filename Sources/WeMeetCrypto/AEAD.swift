import CSodium

/// The libsodium calls behind one AEAD construction; ``ChaChaPoly`` and ``XChaChaPoly``
/// differ only in these and the nonce length.
struct AEAD: Sendable {
    /// `(c, m, mlen, ad, adlen, npub, k) -> rc`, the shape of `crypto_aead_*_encrypt`.
    typealias Encrypt =
        @Sendable (
            UnsafeMutablePointer<UInt8>, UnsafePointer<UInt8>, UInt64, UnsafePointer<UInt8>, UInt64,
            UnsafePointer<UInt8>, UnsafePointer<UInt8>
        ) -> Int32
    /// `(m, c, clen, ad, adlen, npub, k) -> rc`, the shape of `crypto_aead_*_decrypt`.
    typealias Decrypt = Encrypt

    let name: String
    let nonceLength: Int
    let encrypt: Encrypt
    let decrypt: Decrypt

    /// Bytes of authentication tag appended to every ciphertext (the same for both).
    static let tagLength = Int(crypto_aead_chacha20poly1305_ietf_ABYTES)

    func seal(
        _ plaintext: some Collection<UInt8>, key: SymmetricKey, nonce: some Collection<UInt8>,
        authenticating additionalData: some Collection<UInt8>
    ) throws(CryptoError) -> [UInt8] {
        try CryptoError.check("\(name) nonce", count: nonce.count, expected: nonceLength)
        return seal(plaintext, key: key, checkedNonce: nonce, authenticating: additionalData)
    }

    /// `seal` for a nonce of the right length (the caller made it): cannot fail.
    func seal(
        _ plaintext: some Collection<UInt8>, key: SymmetricKey, checkedNonce nonce: some Collection<UInt8>,
        authenticating additionalData: some Collection<UInt8>
    ) -> [UInt8] {
        Sodium.ensureInitialized()
        let outputLength = plaintext.count + AEAD.tagLength
        return [UInt8](unsafeUninitializedCapacity: outputLength) { out, initialized in
            withBytes(plaintext) { m in
                withBytes(additionalData) { ad in
                    withBytes(nonce) { n in
                        key.withKeyPointer { k in
                            _ = encrypt(
                                out.baseAddress!, nonNull(m), UInt64(m.count), nonNull(ad), UInt64(ad.count),
                                nonNull(n), k)
                        }
                    }
                }
            }
            initialized = outputLength
        }
    }

    func open(
        _ ciphertext: some Collection<UInt8>, key: SymmetricKey, nonce: some Collection<UInt8>,
        authenticating additionalData: some Collection<UInt8>
    ) throws(CryptoError) -> [UInt8] {
        try CryptoError.check("\(name) nonce", count: nonce.count, expected: nonceLength)
        guard ciphertext.count >= AEAD.tagLength else {
            throw CryptoError(
                code: .authenticationFailed,
                message: "\(name) ciphertext is \(ciphertext.count) bytes, shorter than its \(AEAD.tagLength)-byte tag")
        }
        Sodium.ensureInitialized()
        let outputLength = ciphertext.count - AEAD.tagLength
        var rc: Int32 = 0
        let plaintext = [UInt8](unsafeUninitializedCapacity: max(outputLength, 1)) { out, initialized in
            withBytes(ciphertext) { c in
                withBytes(additionalData) { ad in
                    withBytes(nonce) { n in
                        key.withKeyPointer { k in
                            rc = decrypt(
                                out.baseAddress!, nonNull(c), UInt64(c.count), nonNull(ad), UInt64(ad.count),
                                nonNull(n), k)
                        }
                    }
                }
            }
            initialized = rc == 0 ? outputLength : 0
        }
        guard rc == 0 else {
            throw CryptoError(
                code: .authenticationFailed, message: "\(name) ciphertext failed authentication")
        }
        return plaintext
    }
}

extension AEAD {
    /// Encrypts the first `plaintextLength` bytes of `buffer` in place and writes the tag
    /// after them; `buffer` must hold `plaintextLength + tagLength` bytes.
    func sealInPlace(
        _ buffer: UnsafeMutableRawBufferPointer, plaintextLength: Int, key: SymmetricKey,
        nonce: UnsafeRawBufferPointer, authenticating additionalData: UnsafeRawBufferPointer
    ) throws(CryptoError) {
        try CryptoError.check("\(name) nonce", count: nonce.count, expected: nonceLength)
        guard plaintextLength >= 0, buffer.count >= plaintextLength + AEAD.tagLength else {
            throw CryptoError(code: .invalidLength, message: "\(name) buffer has no room for the tag")
        }
        Sodium.ensureInitialized()
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        key.withKeyPointer { k in
            _ = encrypt(
                base, UnsafePointer(base), UInt64(plaintextLength), nonNull(additionalData),
                UInt64(additionalData.count), nonNull(nonce), k)
        }
    }

    /// Verifies and decrypts `buffer` (ciphertext ‖ tag) in place; returns the plaintext
    /// length (the plaintext is the start of `buffer`).
    func openInPlace(
        _ buffer: UnsafeMutableRawBufferPointer, key: SymmetricKey, nonce: UnsafeRawBufferPointer,
        authenticating additionalData: UnsafeRawBufferPointer
    ) throws(CryptoError) -> Int {
        try CryptoError.check("\(name) nonce", count: nonce.count, expected: nonceLength)
        guard buffer.count >= AEAD.tagLength else {
            throw CryptoError(
                code: .authenticationFailed, message: "\(name) ciphertext is shorter than its tag")
        }
        Sodium.ensureInitialized()
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let rc = key.withKeyPointer { k in
            decrypt(
                base, UnsafePointer(base), UInt64(buffer.count), nonNull(additionalData),
                UInt64(additionalData.count), nonNull(nonce), k)
        }
        guard rc == 0 else {
            throw CryptoError(code: .authenticationFailed, message: "\(name) ciphertext failed authentication")
        }
        return buffer.count - AEAD.tagLength
    }
}

extension AEAD {
    /// Verifies and decrypts `ciphertext` (ciphertext ‖ tag) into `output`, which must hold
    /// `ciphertext.count - tagLength` bytes; returns the plaintext length.
    func open(
        _ ciphertext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, key: SymmetricKey,
        nonce: UnsafeRawBufferPointer, authenticating additionalData: UnsafeRawBufferPointer
    ) throws(CryptoError) -> Int {
        try CryptoError.check("\(name) nonce", count: nonce.count, expected: nonceLength)
        guard ciphertext.count >= AEAD.tagLength else {
            throw CryptoError(code: .authenticationFailed, message: "\(name) ciphertext is shorter than its tag")
        }
        let length = ciphertext.count - AEAD.tagLength
        guard output.count >= length else {
            throw CryptoError(code: .invalidLength, message: "\(name) output buffer is too small")
        }
        Sodium.ensureInitialized()
        let rc = key.withKeyPointer { k in
            decrypt(
                output.baseAddress!.assumingMemoryBound(to: UInt8.self), nonNull(ciphertext), UInt64(ciphertext.count),
                nonNull(additionalData), UInt64(additionalData.count), nonNull(nonce), k)
        }
        guard rc == 0 else {
            throw CryptoError(code: .authenticationFailed, message: "\(name) ciphertext failed authentication")
        }
        return length
    }
}
