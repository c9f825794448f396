import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// A group's 32-byte ID: BLAKE2b-256 of its definition (``GroupDefinition/id``), so the
/// creator, the public flag, the nonce and the name are all fixed by it (Protocol.md §10.1).
public struct GroupID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 bytes (the audience of every feed of the group).
    public let rawValue: [UInt8]

    package init(rawValue: [UInt8]) {
        precondition(rawValue.count == 32, "a group ID is 32 bytes")
        self.rawValue = rawValue
    }

    /// Parses the 64-digit hex form.
    public init?(hex: String) {
        guard hex.count == 64, let bytes = try? Hex.decode(hex) else { return nil }
        self.init(rawValue: bytes)
    }

    /// The lower-case hex form.
    public var description: String { Hex.encode(rawValue) }

    /// The first 8 hex digits, enough to name a group among one's own.
    public var shortForm: String { String(description.prefix(8)) }

    public static func < (lhs: GroupID, rhs: GroupID) -> Bool {
        lhs.rawValue.lexicographicallyPrecedes(rhs.rawValue)
    }
}
