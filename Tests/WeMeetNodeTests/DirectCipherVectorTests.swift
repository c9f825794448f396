import Foundation
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

    /// §9.2's reply vector: "yes", quoting seq 1 of the recipient's feed (entry ID 11…11),
    /// as the plaintext a writer emits (sorted keys, compact) and sealed with nonce 00…17.
    @Test func aReplyWithAQuoteEncodesAndSealsAsTheVector() throws {
        let recipientID = NodeID(publicKey: Self.recipient.publicKey)
        #expect(recipientID.description == "HVABPQ7-IIOEVVB-EVXBKTU-2G36XSJ-OJQLGPF-3CJNDGZ-AZVK7CK-XUMYGA2")
        let body = DirectMessages.WithAttachments(
            attachments: [],
            quote: QuoteReference(
                author: recipientID.description, id: String(repeating: "11", count: 32), seq: 1),
            text: "yes")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(body), as: UTF8.self)
        #expect(
            json
                == #"{"attachments":[],"quote":{"author":"HVABPQ7-IIOEVVB-EVXBKTU-2G36XSJ-OJQLGPF-3CJNDGZ-AZVK7CK-XUMYGA2","id":"1111111111111111111111111111111111111111111111111111111111111111","seq":1},"text":"yes"}"#
        )
        let outgoing = try DirectCipher(own: Self.sender, other: Self.recipient.publicKey, outgoing: true)
        let sealed = try outgoing.seal([3] + Array(json.utf8), nonce: Array(0..<24))
        #expect(Hex.encode(sealed) == Self.replyPayload)
    }

    /// §9.2's recall vector: seq 1, ID 11…11, sealed with nonce 00…17.
    @Test func aRecallSealsAsTheVector() throws {
        let outgoing = try DirectCipher(own: Self.sender, other: Self.recipient.publicKey, outgoing: true)
        var plaintext: [UInt8] = [DirectMessages.Kind.recall.rawValue]
        withUnsafeBytes(of: UInt64(1).bigEndian) { plaintext += $0 }
        plaintext += [UInt8](repeating: 0x11, count: 32)
        #expect(
            Hex.encode(try outgoing.seal(plaintext, nonce: Array(0..<24)))
                == "000102030405060708090a0b0c0d0e0f1011121314151617ff97775dd60a95772ba8918ba9fc15dd752e94c711dc407686caec078ff1b0a542dca31003239f7b63f58f2e3f6c66a1b397c5d92af8c49098"
        )
    }

    static let replyPayload =
        "000102030405060708090a0b0c0d0e0f1011121314151617f8ec553ca27ef41442d4e5f4cc9e26f63f62a9f471b83e13f2f9c76dbc81d4c03ba2c0232810c63c33f5368e4c5b760933250192d79c7e79872dfe9cfd1e13f9d98b8115241b42bf7767245ea78b5a30f66e71e4c4c70ea9114d85231aa653b741b889266db1cfaadd563b94778e6c10e6327b444282ed14321b691f95e1cd7ccde91ae28f8c7282849f1adf4c98718f50e1115af8def54306847088699f284862ea336bd1d341f4b5c9717f56c9215004083cce02f325ed2488a0cdd2efa6087805472a8da7d176efa832416fb570903ab104f6af"
}
