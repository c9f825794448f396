import CSodium

/// BLAKE2b (RFC 7693) through libsodium's `crypto_generichash`, plain or keyed.
///
/// Note that keyed BLAKE2b is BLAKE2b's own MAC mode, not HMAC; the Noise channel builds
/// HMAC-BLAKE2b on top of ``Hasher`` as RFC 2104 defines it.
public enum Blake2b {
    /// The shortest digest libsodium produces (16 bytes).
    public static let minimumOutputLength = Int(crypto_generichash_BYTES_MIN)
    /// The longest digest (64 bytes, Noise's HASHLEN).
    public static let maximumOutputLength = Int(crypto_generichash_BYTES_MAX)
    /// The longest key (64 bytes).
    public static let maximumKeyLength = Int(crypto_generichash_KEYBYTES_MAX)
    /// The internal block size (128 bytes, Noise's BLOCKLEN).
    public static let blockLength = 128

    /// The BLAKE2b digest of `data`, `outputLength` bytes long, keyed with `key` if given.
    /// - Throws: ``CryptoError/Code/invalidLength`` for an output length outside 16...64 or a
    ///   key longer than 64 bytes.
    public static func hash(
        _ data: some Collection<UInt8>, outputLength: Int = 32, key: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        var hasher = try Hasher(outputLength: outputLength, key: key)
        hasher.update(data)
        return hasher.finalize()
    }

    /// A digest length libsodium always accepts, so hashing with it cannot fail.
    public enum DigestLength: Int, Sendable {
        /// 16 bytes (BLAKE2b-128: key IDs).
        case bytes16 = 16
        /// 32 bytes (BLAKE2b-256: entry, feed and group IDs, commitments, checksums).
        case bytes32 = 32
        /// 64 bytes (BLAKE2b-512: Noise's HASH).
        case bytes64 = 64
    }

    /// The unkeyed BLAKE2b digest of `data`, `length` long. Cannot fail.
    public static func hash(_ data: some Collection<UInt8>, length: DigestLength) -> [UInt8] {
        var hasher = Hasher(length: length)
        hasher.update(data)
        return hasher.finalize()
    }

    static func checkParameters(outputLength: Int, keyLength: Int) throws(CryptoError) {
        guard (minimumOutputLength...maximumOutputLength).contains(outputLength) else {
            throw CryptoError(
                code: .invalidLength,
                message:
                    "BLAKE2b output must be \(minimumOutputLength)...\(maximumOutputLength) bytes, got \(outputLength)")
        }
        guard keyLength <= maximumKeyLength else {
            throw CryptoError(
                code: .invalidLength, message: "BLAKE2b key must be at most \(maximumKeyLength) bytes, got \(keyLength)"
            )
        }
    }
}
