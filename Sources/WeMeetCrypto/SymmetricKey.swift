/// A 256-bit symmetric key for ``ChaChaPoly`` and ``XChaChaPoly``.
public struct SymmetricKey: Sendable, Equatable {
    /// Bytes in a key.
    public static let length = 32

    /// The secret bytes.
    public let secret: SecureBytes

    /// A fresh random key.
    public init() {
        secret = SecureBytes.random(count: Self.length)
    }

    /// Wraps 32 secret bytes.
    /// - Throws: ``CryptoError/Code/invalidLength`` for any other size.
    public init(_ secret: SecureBytes) throws(CryptoError) {
        try CryptoError.check("symmetric key", count: secret.count, expected: Self.length)
        self.secret = secret
    }

    /// The first 32 bytes of `digest`, a derived output at least that long (an HKDF or
    /// BLAKE2b-512 output): cannot fail for one.
    public init(prefixOf digest: [UInt8]) {
        precondition(digest.count >= Self.length, "a key needs 32 bytes; the digest has \(digest.count)")
        secret = SecureBytes(digest.prefix(Self.length))
    }

    /// Copies `bytes` into a key (for test vectors and derived keys).
    public init(bytes: some Collection<UInt8>) throws(CryptoError) {
        try self.init(SecureBytes(bytes))
    }

    @inline(__always)
    func withKeyPointer<R>(_ body: (UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        try secret.withUnsafeBytes { try body($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
    }
}
