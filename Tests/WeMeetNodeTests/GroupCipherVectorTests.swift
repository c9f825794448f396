import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

@testable import WeMeetNode

/// The group vectors of Protocol.md §10.1 and §10.4 (computed independently with PyNaCl).
@Suite("Group encryption vectors")
struct GroupCipherVectorTests {
    static let admin = DirectCipherVectorTests.sender
    static let member = DirectCipherVectorTests.recipient
    static let definition = GroupDefinition(
        creator: admin.publicKey, isPublic: false, nonce: Array(0..<16), name: "Hikers")
    static let key = try! SymmetricKey(bytes: Array(0x20..<0x40))
    static let wrap =
        "000102030405060708090a0b0c0d0e0f10111213141516173fbc02b5e9a5f226efb54e771ddd0beff195d0c35eb9c5921a286e95fef939e1d13907ba5e1bd3790ff09e6a0b1761fc"
    static let post =
        "8f0fc873889ebb91a9b66eba5d288ea8000102030405060708090a0b0c0d0e0f1011121314151617cc2bf0944d4c25633586221f2ebf5533ae2bffedb27b8b1ebc170093ed"

    @Test func groupIDKeyIDWrapAndPostMatchTheVectors() throws {
        let group = Self.definition.id
        #expect(group.description == "b9256fe96970d97e40188311416bc26d871939b3186fde292fe8972fde43e4ea")
        let keyID = GroupCipher.keyID(of: Self.key, group: group)
        #expect(Hex.encode(keyID) == "8f0fc873889ebb91a9b66eba5d288ea8")
        let wrapping = try GroupCipher.wrappingKey(
            own: Self.admin, other: Self.member.publicKey, ownIsAdmin: true, group: group)
        #expect(
            Hex.encode(wrapping.secret.unsafeCopy) == "29fadd5afbbb8b12bc16d7f37f6847812115ebe1d51fd32c4935bb50fe657818"
        )
        let wrapped = try GroupCipher.wrap(
            Self.key, for: Self.member.publicKey, admin: Self.admin, group: group, nonce: Array(0..<24))
        #expect(Hex.encode(wrapped) == Self.wrap)
        // The member opens it; nobody else can.
        let opened = try GroupCipher.unwrap(
            try Hex.decode(Self.wrap), keyID: keyID, own: Self.member, admin: Self.admin.publicKey, group: group)
        #expect(opened == Self.key)
        #expect(throws: CryptoError.self) {
            try GroupCipher.unwrap(
                try Hex.decode(Self.wrap), keyID: keyID, own: Ed25519.PrivateKey(), admin: Self.admin.publicKey,
                group: group)
        }
        let feed = Feed(author: Self.admin.publicKey, kind: .group, audience: group.rawValue).id
        #expect(feed.description == "23502fb7791c297868788e398557f80cb7ecb2b8e7c4ad97dc259283c663d1b7")
        let sealed = try GroupCipher.seal(
            Array(#"{"text":"hi"}"#.utf8), key: Self.key, keyID: keyID, feed: feed, nonce: Array(0..<24))
        #expect(Hex.encode(sealed) == Self.post)
        #expect(
            try GroupCipher.open(try Hex.decode(Self.post), key: Self.key, feed: feed) == Array(#"{"text":"hi"}"#.utf8))
        // Moved to another feed, it no longer opens.
        let other = Feed(author: Self.member.publicKey, kind: .group, audience: group.rawValue).id
        #expect(throws: CryptoError.self) {
            try GroupCipher.open(try Hex.decode(Self.post), key: Self.key, feed: other)
        }
    }
}
