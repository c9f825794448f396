import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// End-to-end encryption of direct-message entries (Protocol.md §9.2): a key per direction
/// from the two friends' X25519 keys, and XChaCha20-Poly1305 with a random nonce, bound to
/// the feed. Only the two friends can compute the key.
package struct DirectCipher: Sendable {
    /// The key for entries that `sender` writes to `recipient`.
    package let key: SymmetricKey
    /// The feed those entries go to (authenticated as associated data).
    package let feed: Feed

    /// The key for messages `sender` writes to `recipient`, computed by either of them:
    /// `BLAKE2b-256("WeMeet dm key" ‖ X25519(own, other) ‖ sender Ed25519 ‖ recipient Ed25519)`.
    package init(own: Ed25519.PrivateKey, other: Ed25519.PublicKey, outgoing: Bool) throws(CryptoError) {
        let shared = try own.curve25519().sharedSecret(with: try other.curve25519())
        let sender = outgoing ? own.publicKey : other
        let recipient = outgoing ? other : own.publicKey
        let input =
            Array("WeMeet dm key".utf8) + shared.unsafeCopy + sender.rawRepresentation + recipient.rawRepresentation
        key = try SymmetricKey(bytes: try Blake2b.hash(input))
        feed = Feed(author: sender, kind: .direct, audience: recipient.rawRepresentation)
    }

    /// `nonce[24] ‖ ciphertext ‖ tag[16]` of `plaintext`, with the feed ID as associated data.
    package func seal(_ plaintext: [UInt8]) -> [UInt8] {
        XChaChaPoly.seal(plaintext, key: key, authenticating: feed.id.rawValue)
    }

    /// The same under an explicit nonce (for test vectors; messages use a random one).
    package func seal(_ plaintext: [UInt8], nonce: [UInt8]) throws(CryptoError) -> [UInt8] {
        nonce + (try XChaChaPoly.seal(plaintext, key: key, nonce: nonce, authenticating: feed.id.rawValue))
    }

    /// Opens what ``seal(_:)`` made.
    /// - Throws: ``CryptoError`` when it was tampered with or is not for this feed.
    package func open(_ payload: [UInt8]) throws(CryptoError) -> [UInt8] {
        try XChaChaPoly.open(combined: payload, key: key, authenticating: feed.id.rawValue)
    }
}
