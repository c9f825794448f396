import CSodium

/// XChaCha20-Poly1305 AEAD: 32-byte key, 24-byte nonce (safe to pick at random), 16-byte tag.
public enum XChaChaPoly {
    /// Bytes in a nonce.
    public static let nonceLength = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    /// Bytes in the authentication tag appended to each ciphertext.
    public static let tagLength = AEAD.tagLength

    static let aead = AEAD(
        name: "XChaCha20-Poly1305", nonceLength: nonceLength,
        encrypt: { c, m, mlen, ad, adlen, npub, k in
            crypto_aead_xchacha20poly1305_ietf_encrypt(c, nil, m, mlen, ad, adlen, nil, npub, k)
        },
        decrypt: { m, c, clen, ad, adlen, npub, k in
            crypto_aead_xchacha20poly1305_ietf_decrypt(m, nil, nil, c, clen, ad, adlen, npub, k)
        })

    /// Encrypts and authenticates `plaintext` under an explicit nonce.
    /// - Returns: ciphertext ‖ 16-byte tag.
    public static func seal(
        _ plaintext: some Collection<UInt8>, key: SymmetricKey, nonce: some Collection<UInt8>,
        authenticating additionalData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        try aead.seal(plaintext, key: key, nonce: nonce, authenticating: additionalData)
    }

    /// Encrypts under a fresh random nonce.
    /// - Returns: nonce ‖ ciphertext ‖ tag, the form ``open(combined:key:authenticating:)`` takes.
    public static func seal(
        _ plaintext: some Collection<UInt8>, key: SymmetricKey,
        authenticating additionalData: some Collection<UInt8> = [UInt8]()
    ) -> [UInt8] {
        let nonce = Random.bytes(count: nonceLength)
        return nonce + aead.seal(plaintext, key: key, checkedNonce: nonce, authenticating: additionalData)
    }

    /// Verifies and decrypts ciphertext ‖ tag under an explicit nonce.
    public static func open(
        _ ciphertext: some Collection<UInt8>, key: SymmetricKey, nonce: some Collection<UInt8>,
        authenticating additionalData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        try aead.open(ciphertext, key: key, nonce: nonce, authenticating: additionalData)
    }

    /// Verifies and decrypts nonce ‖ ciphertext ‖ tag.
    public static func open(
        combined: some Collection<UInt8>, key: SymmetricKey,
        authenticating additionalData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        let bytes = Array(combined)
        guard bytes.count >= nonceLength + tagLength else {
            throw CryptoError(
                code: .authenticationFailed,
                message: "XChaCha20-Poly1305 message is \(bytes.count) bytes, shorter than nonce and tag")
        }
        return try aead.open(
            bytes[nonceLength...], key: key, nonce: bytes[..<nonceLength], authenticating: additionalData)
    }
}
