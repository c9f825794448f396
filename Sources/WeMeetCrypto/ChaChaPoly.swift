import CSodium

/// ChaCha20-Poly1305 AEAD, IETF variant (RFC 8439): 32-byte key, 12-byte nonce, 16-byte tag.
///
/// Nonces must never repeat under one key; use it with counters (as the Noise channel does),
/// or use ``XChaChaPoly`` for random nonces.
public enum ChaChaPoly {
    /// Bytes in a nonce.
    public static let nonceLength = Int(crypto_aead_chacha20poly1305_ietf_NPUBBYTES)
    /// Bytes in the authentication tag appended to each ciphertext.
    public static let tagLength = AEAD.tagLength

    static let aead = AEAD(
        name: "ChaCha20-Poly1305", nonceLength: nonceLength,
        encrypt: { c, m, mlen, ad, adlen, npub, k in
            crypto_aead_chacha20poly1305_ietf_encrypt(c, nil, m, mlen, ad, adlen, nil, npub, k)
        },
        decrypt: { m, c, clen, ad, adlen, npub, k in
            crypto_aead_chacha20poly1305_ietf_decrypt(m, nil, nil, c, clen, ad, adlen, npub, k)
        })

    /// Encrypts and authenticates `plaintext`, authenticating `additionalData` too.
    /// - Returns: ciphertext ‖ 16-byte tag.
    /// - Throws: ``CryptoError/Code/invalidLength`` for a nonce that is not 12 bytes.
    public static func seal(
        _ plaintext: some Collection<UInt8>, key: SymmetricKey, nonce: some Collection<UInt8>,
        authenticating additionalData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        try aead.seal(plaintext, key: key, nonce: nonce, authenticating: additionalData)
    }

    /// Encrypts under the nonce `4 zero bytes ‖ counter (little-endian)` — Noise's form (§12.3
    /// of the Noise spec) — which is always 12 bytes, so this cannot fail.
    public static func seal(
        _ plaintext: some Collection<UInt8>, key: SymmetricKey, counter: UInt64,
        authenticating additionalData: some Collection<UInt8> = [UInt8]()
    ) -> [UInt8] {
        aead.seal(plaintext, key: key, checkedNonce: nonce(counter: counter), authenticating: additionalData)
    }

    /// `4 zero bytes ‖ counter` little-endian: a 12-byte IETF nonce.
    public static func nonce(counter: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { bytes[4 + i] = UInt8(truncatingIfNeeded: counter >> (8 * UInt64(i))) }
        return bytes
    }

    /// Verifies and decrypts ciphertext ‖ tag.
    /// - Throws: ``CryptoError/Code/authenticationFailed`` when anything was altered or the key,
    ///   nonce or additional data differ; ``CryptoError/Code/invalidLength`` for a bad nonce.
    public static func open(
        _ ciphertext: some Collection<UInt8>, key: SymmetricKey, nonce: some Collection<UInt8>,
        authenticating additionalData: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        try aead.open(ciphertext, key: key, nonce: nonce, authenticating: additionalData)
    }
}

extension ChaChaPoly {
    /// Encrypts the first `plaintextLength` bytes of `buffer` in place and appends the tag;
    /// `buffer` must hold `plaintextLength + 16` bytes. For zero-copy transports.
    public static func sealInPlace(
        _ buffer: UnsafeMutableRawBufferPointer, plaintextLength: Int, key: SymmetricKey,
        nonce: UnsafeRawBufferPointer,
        authenticating additionalData: UnsafeRawBufferPointer = .init(start: nil, count: 0)
    ) throws(CryptoError) {
        try aead.sealInPlace(
            buffer, plaintextLength: plaintextLength, key: key, nonce: nonce, authenticating: additionalData)
    }

    /// Verifies and decrypts ciphertext ‖ tag in place; returns the plaintext length.
    /// - Throws: ``CryptoError/Code/authenticationFailed``; the buffer's contents are then undefined.
    public static func openInPlace(
        _ buffer: UnsafeMutableRawBufferPointer, key: SymmetricKey, nonce: UnsafeRawBufferPointer,
        authenticating additionalData: UnsafeRawBufferPointer = .init(start: nil, count: 0)
    ) throws(CryptoError) -> Int {
        try aead.openInPlace(buffer, key: key, nonce: nonce, authenticating: additionalData)
    }
}

extension ChaChaPoly {
    /// Verifies and decrypts ciphertext ‖ tag into `output` (at least 16 bytes shorter than
    /// the ciphertext); returns the plaintext length. The source is only read.
    public static func open(
        _ ciphertext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, key: SymmetricKey,
        nonce: UnsafeRawBufferPointer,
        authenticating additionalData: UnsafeRawBufferPointer = .init(start: nil, count: 0)
    ) throws(CryptoError) -> Int {
        try aead.open(ciphertext, into: output, key: key, nonce: nonce, authenticating: additionalData)
    }
}
