import WeMeetCrypto

/// Who writes a feed and for which audience (Protocol.md §7.2).
public struct Feed: Hashable, Sendable {
    /// The audience channel a feed is written for.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The author's own control feed (friendships, settings); audience is zero.
        public static let control = Kind(rawValue: 1)
        /// Direct messages to one friend; audience is the friend's public key.
        public static let direct = Kind(rawValue: 2)
        /// Posts in one group; audience is the group ID.
        public static let group = Kind(rawValue: 3)
        /// Moments for all friends; audience is zero.
        public static let moments = Kind(rawValue: 4)

        public var description: String {
            switch self {
            case .control: "control"
            case .direct: "direct"
            case .group: "group"
            case .moments: "moments"
            default: "kind \(rawValue)"
            }
        }
    }

    /// The only key that may write the feed.
    public var author: Ed25519.PublicKey
    /// The audience channel.
    public var kind: Kind
    /// 32 bytes naming the audience (see ``Kind``).
    public var audience: [UInt8]

    public init(author: Ed25519.PublicKey, kind: Kind, audience: [UInt8] = [UInt8](repeating: 0, count: 32)) {
        precondition(audience.count == 32, "a feed audience is 32 bytes")
        self.author = author
        self.kind = kind
        self.audience = audience
    }

    /// The feed's ID.
    public var id: FeedID {
        var hasher = Blake2b.Hasher(length: .bytes32)
        hasher.update(Array("WeMeet feed".utf8))
        hasher.update(author.rawRepresentation)
        hasher.update([kind.rawValue])
        hasher.update(audience)
        return FeedID(digest: hasher.finalize())
    }
}
