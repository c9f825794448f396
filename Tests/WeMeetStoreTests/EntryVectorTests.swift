import Foundation
import Testing
import WeMeetCrypto

@testable import WeMeetStore

/// The entry vector of Protocol.md §7.6, computed independently (PyNaCl + hashlib).
@Suite("entry vector")
struct EntryVectorTests {
    @Test func vector() throws {
        let url = try #require(Bundle.module.url(forResource: "entry-1", withExtension: "hex", subdirectory: "Vectors"))
        let expected = try Hex.decode(String(contentsOf: url, encoding: .utf8))
        let key = try Ed25519.PrivateKey(
            seed: SecureBytes(Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")))
        let entry = try Entry(
            feed: Feed(author: key.publicKey, kind: .moments), seq: 1, previous: .zero, timestamp: 1_700_000_000_000,
            contentType: 1, payload: Array("hello".utf8), signedBy: key)
        #expect(entry.encoded == expected)
        #expect(entry.id.description == "d637413ff6d28a8188fade01246b7ca91dabc6c7281d62182ca4d5dfcabbb92d")
        #expect(entry.feedID.description == "c36bb371b8f450a701d8f320a6bf3d41fbf290eb0f1c38715a6e112f6f3a2ba5")
        let decoded = try Entry(decoding: expected)
        try decoded.verifySignature()
        #expect(decoded == entry)
    }
}
