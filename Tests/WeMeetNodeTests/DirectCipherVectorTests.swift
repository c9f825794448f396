import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

@testable import WeMeetNode

/// The direct-message vector of Protocol.md §9.2 (computed independently with PyNaCl).
@Suite("Direct-message encryption vector")
struct DirectCipherVectorTests {
    static let sender = try! Ed25519.PrivateKey(
        seed: SecureBytes(try! Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")))
    static let recipient = try! Ed25519.PrivateKey(
        seed: SecureBytes(try! Hex.decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")))
    static let payload =
        "000102030405060708090a0b0c0d0e0f1011121314151617faff1ee9d4ea3822fa99af6666b9b3fba03bb2"

    @Test func bothSidesDeriveTheVectorKeyAndCiphertext() throws {
        let outgoing = try DirectCipher(own: Self.sender, other: Self.recipient.publicKey, outgoing: true)
        let incoming = try DirectCipher(own: Self.recipient, other: Self.sender.publicKey, outgoing: false)
        #expect(
            Hex.encode(outgoing.key.secret.unsafeCopy)
                == "743622c2b17d3fa4828e607d92bfae70ab19c1c48e98871a470bb27d4a830e52")
        #expect(incoming.key == outgoing.key)
        #expect(
            outgoing.feed.id.description == "45af2158ddc1dc7f693d5f41b570c9dbd3957ea145521d34dcbf843103f61ef8")
        let sealed = try outgoing.seal([1] + Array("hi".utf8), nonce: Array(0..<24))
        #expect(Hex.encode(sealed) == Self.payload)
        #expect(try incoming.open(try Hex.decode(Self.payload)) == [1] + Array("hi".utf8))
        // The other direction's key cannot open it.
        let reverse = try DirectCipher(own: Self.recipient, other: Self.sender.publicKey, outgoing: true)
        #expect(throws: CryptoError.self) { try reverse.open(try Hex.decode(Self.payload)) }
    }
}
