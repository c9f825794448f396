/// A node's identity as people and the wire see it: its Ed25519 public key, written as
/// 8 dash-separated groups of 7 base32 characters with 4 Luhn check characters, e.g.
/// `7N5JQAM-BQFJYTV-QQ6H3BL-...`.
///
/// Layout (Protocol.md, "Node ID"): the 32-byte key in unpadded RFC 4648 base32 is 52
/// characters; it is cut into 4 chunks of 13 and each chunk is followed by its Luhn mod 32
/// check character, giving 56 characters, shown in groups of 7. Parsing ignores case, dashes
/// and spaces, reads `0`/`1`/`8` as `O`/`I`/`B` (easily mistyped), and rejects any wrong
/// check character, so a mistyped ID is refused rather than naming someone else.
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The node's Ed25519 public key.
    public let publicKey: Ed25519.PublicKey

    /// Characters in the canonical form, dashes included.
    public static let stringLength = 63
    private static let chunkLength = 13
    private static let groupLength = 7

    /// The node ID of `publicKey`.
    public init(publicKey: Ed25519.PublicKey) {
        self.publicKey = publicKey
    }

    /// Parses a node ID in its canonical form or any variant people produce when copying it.
    /// - Throws: ``CryptoError/Code/invalidEncoding`` with a message saying what is wrong.
    ///
    /// Positions in the messages count the characters of `text` as typed, from 1, dashes
    /// and spaces included (Protocol.md §3), so a person can find the one named.
    public init(_ text: String) throws(CryptoError) {
        var chars: [UInt8] = []
        // The position in `text` (from 1) of each character kept.
        var positions: [Int] = []
        var bad: (position: Int, scalar: Unicode.Scalar)?
        for (index, scalar) in text.unicodeScalars.enumerated() {
            let char: UInt8
            switch scalar {
            case "-", " ": continue
            case "a"..."z": char = UInt8(scalar.value) - 32
            case "0": char = UInt8(ascii: "O")
            case "1": char = UInt8(ascii: "I")
            case "8": char = UInt8(ascii: "B")
            default:
                guard scalar.isASCII, Base32.value(of: UInt8(scalar.value)) != nil else {
                    if bad == nil { bad = (index + 1, scalar) }
                    char = 0
                    break
                }
                char = UInt8(scalar.value)
            }
            chars.append(char)
            positions.append(index + 1)
        }
        guard chars.count == 4 * (Self.chunkLength + 1) else {
            throw CryptoError(
                code: .invalidEncoding,
                message: "a node ID has 56 characters (not counting dashes and spaces), this has \(chars.count)")
        }
        if let bad {
            // Printable ASCII is shown; anything else by its code point (never raw).
            let shown =
                (0x21...0x7E).contains(bad.scalar.value)
                ? "'\(Character(bad.scalar))'" : "U+\(String(bad.scalar.value, radix: 16, uppercase: true))"
            throw CryptoError(
                code: .invalidEncoding,
                message: "a node ID uses only A-Z and 2-7; character \(bad.position) (\(shown)) is not one of them")
        }
        var data: [UInt8] = []
        for chunk in 0..<4 {
            let start = chunk * (Self.chunkLength + 1)
            let body = chars[start..<start + Self.chunkLength]
            guard Base32.luhnCheck(body) == chars[start + Self.chunkLength] else {
                let position = positions[start + Self.chunkLength]
                throw CryptoError(
                    code: .invalidEncoding,
                    message:
                        "node ID check character \(chunk + 1) of 4 (character \(position)) does not match: "
                        + "probably a typo in characters \(positions[start])–\(position)")
            }
            data.append(contentsOf: body)
        }
        guard let key = Base32.decode(data, byteCount: Ed25519.publicKeyLength) else {
            throw CryptoError(code: .invalidEncoding, message: "node ID is not a canonical encoding")
        }
        publicKey = try Ed25519.PublicKey(rawRepresentation: key)
    }

    /// The canonical form: 8 groups of 7 upper-case characters joined by dashes.
    public var description: String {
        let encoded = Base32.encode(publicKey.rawRepresentation)
        var withChecks: [UInt8] = []
        for chunk in 0..<4 {
            let body = encoded[chunk * Self.chunkLength..<(chunk + 1) * Self.chunkLength]
            withChecks.append(contentsOf: body)
            withChecks.append(Base32.luhnCheck(body))
        }
        var out: [UInt8] = []
        for (index, char) in withChecks.enumerated() {
            if index > 0 && index % Self.groupLength == 0 { out.append(UInt8(ascii: "-")) }
            out.append(char)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first group (7 characters): a label for tight spaces, never an identity.
    public var shortForm: String { String(description.prefix(Self.groupLength)) }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        lhs.publicKey.rawRepresentation.lexicographicallyPrecedes(rhs.publicKey.rawRepresentation)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
