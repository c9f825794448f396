import WeMeetCrypto

/// An entry's ID: BLAKE2b-256 of its encoding.
public struct EntryID: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes.
    public let rawValue: [UInt8]

    package init(rawValue: [UInt8]) {
        self.rawValue = rawValue
    }

    /// The ID of an encoded entry.
    public init(encoded: [UInt8]) {
        rawValue = Blake2b.hash(encoded, length: .bytes32)
    }

    /// Thirty-two zero bytes: the "previous" of a feed's first entry.
    public static let zero = EntryID(rawValue: [UInt8](repeating: 0, count: 32))

    public var description: String { Hex.encode(rawValue) }
}
