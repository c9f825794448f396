import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// The cryptography of private groups (Protocol.md §10.4): a random 32-byte group key per
/// epoch, handed to each member sealed under a key only the admin and that member can
/// compute, and posts sealed under the group key with XChaCha20-Poly1305.
package enum GroupCipher {
    /// Bytes of a key ID.
    package static let keyIDLength = Blake2b.DigestLength.bytes16.rawValue

    /// `BLAKE2b-128("WeMeet group key id" ‖ group ID ‖ key)`: names a key without revealing it.
    package static func keyID(of key: SymmetricKey, group: GroupID) -> [UInt8] {
        Blake2b.hash(Array("WeMeet group key id".utf8) + group.rawValue + key.secret.unsafeCopy, length: .bytes16)
    }

    /// The key an admin seals a group key under for one member:
    /// `BLAKE2b-256("WeMeet group wrap" ‖ X25519(own, other) ‖ admin Ed25519 ‖ member Ed25519 ‖ group ID)`.
    package static func wrappingKey(
        own: Ed25519.PrivateKey, other: Ed25519.PublicKey, ownIsAdmin: Bool, group: GroupID
    ) throws(CryptoError) -> SymmetricKey {
        let shared = try own.curve25519().sharedSecret(with: try other.curve25519())
        let admin = ownIsAdmin ? own.publicKey : other
        let member = ownIsAdmin ? other : own.publicKey
        let input =
            Array("WeMeet group wrap".utf8) + shared.unsafeCopy + admin.rawRepresentation + member.rawRepresentation
            + group.rawValue
        return try SymmetricKey(bytes: try Blake2b.hash(input))
    }

    /// Seals `key` for `member`: `nonce[24] ‖ ciphertext ‖ tag`, with `group ID ‖ key ID` as
    /// associated data.
    package static func wrap(
        _ key: SymmetricKey, for member: Ed25519.PublicKey, admin: Ed25519.PrivateKey, group: GroupID,
        nonce: [UInt8]? = nil
    ) throws(CryptoError) -> [UInt8] {
        let wrapping = try wrappingKey(own: admin, other: member, ownIsAdmin: true, group: group)
        let associated = group.rawValue + keyID(of: key, group: group)
        if let nonce {
            return nonce
                + (try XChaChaPoly.seal(key.secret.unsafeCopy, key: wrapping, nonce: nonce, authenticating: associated))
        }
        return XChaChaPoly.seal(key.secret.unsafeCopy, key: wrapping, authenticating: associated)
    }

    /// Opens a key an admin sealed for this node; checks it is the key named `keyID`.
    package static func unwrap(
        _ wrapped: [UInt8], keyID: [UInt8], own: Ed25519.PrivateKey, admin: Ed25519.PublicKey, group: GroupID
    ) throws(CryptoError) -> SymmetricKey {
        let wrapping = try wrappingKey(own: own, other: admin, ownIsAdmin: false, group: group)
        let bytes = try XChaChaPoly.open(combined: wrapped, key: wrapping, authenticating: group.rawValue + keyID)
        let key = try SymmetricKey(bytes: bytes)
        guard GroupCipher.keyID(of: key, group: group) == keyID else {
            throw CryptoError(code: .authenticationFailed, message: "the wrapped key does not match its key ID")
        }
        return key
    }

    /// Seals a post: `key ID[16] ‖ nonce[24] ‖ ciphertext ‖ tag`, with `feed ID ‖ key ID`
    /// as associated data (a post cannot be moved to another feed).
    package static func seal(
        _ plaintext: [UInt8], key: SymmetricKey, keyID: [UInt8], feed: FeedID, nonce: [UInt8]? = nil
    ) throws(CryptoError) -> [UInt8] {
        let associated = feed.rawValue + keyID
        if let nonce {
            return keyID + nonce + (try XChaChaPoly.seal(plaintext, key: key, nonce: nonce, authenticating: associated))
        }
        return keyID + XChaChaPoly.seal(plaintext, key: key, authenticating: associated)
    }

    /// The key ID a sealed post names, or nil when too short.
    package static func keyID(ofSealed payload: [UInt8]) -> [UInt8]? {
        payload.count >= keyIDLength + XChaChaPoly.nonceLength + XChaChaPoly.tagLength
            ? Array(payload.prefix(keyIDLength)) : nil
    }

    /// Opens a sealed post with the key it names.
    package static func open(_ payload: [UInt8], key: SymmetricKey, feed: FeedID) throws(CryptoError) -> [UInt8] {
        let keyID = Array(payload.prefix(keyIDLength))
        return try XChaChaPoly.open(
            combined: payload.dropFirst(keyIDLength), key: key, authenticating: feed.rawValue + keyID)
    }
}
