import CSodium

/// X25519 Diffie-Hellman (RFC 7748) through libsodium's `crypto_scalarmult`.
public enum X25519 {
    /// Bytes in a public key, a private key and a shared secret.
    public static let keyLength = Int(crypto_scalarmult_BYTES)
}
