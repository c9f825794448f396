import CSodium

/// Ed25519 signatures (RFC 8032) through libsodium's `crypto_sign_*`.
///
/// Node identities are Ed25519 keys; see ``NodeID``.
public enum Ed25519 {
    /// Bytes in a public key.
    public static let publicKeyLength = Int(crypto_sign_PUBLICKEYBYTES)
    /// Bytes in a private key seed.
    public static let seedLength = Int(crypto_sign_SEEDBYTES)
    /// Bytes in a signature.
    public static let signatureLength = Int(crypto_sign_BYTES)
    /// Bytes in libsodium's expanded secret key (seed ‖ public key).
    static let secretKeyLength = Int(crypto_sign_SECRETKEYBYTES)
}
