import WeMeetCrypto

/// A feed's 32-byte ID: BLAKE2b-256(`"WeMeet feed"` ‖ author ‖ kind ‖ audience), so a feed
/// is defined by — and writable only by — its author (Protocol.md §7.2).
public struct FeedID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 bytes.
    public let rawValue: [UInt8]

    /// A BLAKE2b-256 digest (``Feed/id``): 32 bytes by construction.
    package init(digest: [UInt8]) {
        rawValue = digest
    }

    public init(rawValue: [UInt8]) throws(StoreError) {
        guard rawValue.count == 32 else {
            throw StoreError(code: .malformed, message: "a feed ID is 32 bytes, got \(rawValue.count)")
        }
        self.rawValue = rawValue
    }

    /// Parses the 64-character hex form.
    public init(hex: String) throws(StoreError) {
        guard let bytes = try? Hex.decode(hex) else {
            throw StoreError(code: .malformed, message: "a feed ID is 64 hex digits")
        }
        try self.init(rawValue: bytes)
    }

    /// The lower-case hex form.
    public var description: String { Hex.encode(rawValue) }

    /// A feed ID is already a uniform hash: its first eight bytes make a good hash value.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawValue.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    }

    public static func == (lhs: FeedID, rhs: FeedID) -> Bool {
        lhs.rawValue == rhs.rawValue
    }

    public static func < (lhs: FeedID, rhs: FeedID) -> Bool {
        lhs.rawValue.lexicographicallyPrecedes(rhs.rawValue)
    }
}
