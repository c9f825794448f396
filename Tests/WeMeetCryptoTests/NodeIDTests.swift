import Foundation
import Testing
import WeMeetCrypto

@Suite("Node ID format")
struct NodeIDTests {
    /// The vectors in Protocol.md, "Node ID".
    static let vectors: [(publicKey: String, nodeID: String)] = [
        (
            "0000000000000000000000000000000000000000000000000000000000000000",
            "AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA"
        ),
        (
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "25NJQAM-CWEFLPM-VKL73J4-SZAHHIT-HOC4XT3-KTCGJNJ-PAINGR5-YHKENAI"
        ),
        (
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "HVABPQ7-IIOEVVB-EVXBKTU-2G36XSJ-OJQLGPF-3CJNDGZ-AZVK7CK-XUMYGA2"
        ),
    ]

    @Test("vectors", arguments: vectors)
    func vector(publicKey: String, nodeID: String) throws {
        let id = NodeID(publicKey: try Ed25519.PublicKey(rawRepresentation: hex(publicKey)))
        #expect(id.description == nodeID)
        #expect(try NodeID(nodeID) == id)
        #expect(id.description.count == NodeID.stringLength)
    }

    /// Positions in errors count the text as typed, from 1, dashes included (Protocol.md §3;
    /// conformance issue, point 21); a character that is not printable ASCII is named by its
    /// code point, never shown raw.
    @Test func errorPositionsCountTheTextAsTyped() throws {
        let text = "25NJQAM-CWEFLPM-VKL73J4-SZAHHIT-HOC4XT3-KTCGJNJ-PAINGR5-YHKENAI"
        var chars = Array(text)
        chars[9] = "9"  // typed position 10, the third character of the second group
        let bad = #expect(throws: CryptoError.self) { try NodeID(String(chars)) }
        #expect(bad?.message.contains("character 10 ('9')") == true, "\(bad?.message ?? "")")
        chars[9] = "\u{1B}"
        let escape = #expect(throws: CryptoError.self) { try NodeID(String(chars)) }
        #expect(escape?.message.contains("character 10 (U+1B)") == true, "\(escape?.message ?? "")")
        // A typo in the second chunk (characters 15–29 as typed, check character at 29).
        chars = Array(text)
        chars[20] = chars[20] == "A" ? "B" : "A"
        let typo = #expect(throws: CryptoError.self) { try NodeID(String(chars)) }
        #expect(
            typo?.message.contains("check character 2 of 4 (character 31)") == true, "\(typo?.message ?? "")")
    }

    @Test func forgivingParse() throws {
        let id = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
        let text = id.description
        #expect(try NodeID(text.lowercased()) == id)
        #expect(try NodeID(text.replacingOccurrences(of: "-", with: "")) == id)
        #expect(try NodeID(text.replacingOccurrences(of: "-", with: " ")) == id)
        let confusable = text.replacingOccurrences(of: "O", with: "0").replacingOccurrences(of: "I", with: "1")
            .replacingOccurrences(of: "B", with: "8")
        #expect(try NodeID(confusable) == id)
    }

    /// Luhn mod 32 catches every single-character substitution.
    @Test func everySingleCharacterTypoIsRejected() throws {
        let text = Array(NodeID(publicKey: Ed25519.PrivateKey().publicKey).description)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        for position in text.indices where text[position] != "-" {
            for replacement in alphabet where replacement != text[position] {
                var typo = text
                typo[position] = replacement
                #expect(throws: CryptoError.self) { try NodeID(String(typo)) }
            }
        }
    }

    @Test(
        "malformed input is rejected with a reason",
        arguments: [
            "", "ABC", "AAAAAAA-AAAAAAA", String(repeating: "A", count: 57),
            "AAAAAA!-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA",
        ])
    func malformed(_ text: String) {
        let error = #expect(throws: CryptoError.self) { try NodeID(text) }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.message.isEmpty == false)
    }

    /// The 52nd base32 character carries one key bit; its other four bits must be zero.
    @Test func nonCanonicalPaddingIsRejected() throws {
        var chars = Array(
            NodeID(publicKey: try .init(rawRepresentation: [UInt8](repeating: 0, count: 32))).description.filter {
                $0 != "-"
            })
        // The last data character is index 54 (chunk 4: indices 42...54, check at 55): "B" sets a padding bit.
        chars[54] = "B"
        // Recompute that chunk's check so only the padding is wrong.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        for check in alphabet {
            chars[55] = check
            if (try? NodeID(String(chars))) != nil { Issue.record("accepted non-canonical padding") }
        }
    }

    @Test func codableUsesTheString() throws {
        let id = NodeID(publicKey: Ed25519.PrivateKey().publicKey)
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(id)\"]")
        #expect(try JSONDecoder().decode([NodeID].self, from: data) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([NodeID].self, from: Data("[\"nope\"]".utf8)) }
    }
}
