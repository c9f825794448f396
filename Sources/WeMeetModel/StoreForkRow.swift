import WeMeetCrypto

/// One fork (Protocol.md §7.3: an author signed two histories), as `wemeet store forks` and
/// `GET /v1/store/forks` list it.
public struct StoreForkRow: Codable, Sendable, Equatable {
    public var feed: String
    /// The author's node ID.
    public var author: NodeID
    public var seq: UInt64
    /// The entry ID kept at that seq, and the one rejected (kept as evidence).
    public var kept: String
    public var rejected: String

    public init(feed: String, author: NodeID, seq: UInt64, kept: String, rejected: String) {
        self.feed = feed
        self.author = author
        self.seq = seq
        self.kept = kept
        self.rejected = rejected
    }
}
