import WeMeetCrypto

/// One feed of the store, as `wemeet store feeds` and `GET /v1/store/feeds` list it.
public struct StoreFeedRow: Codable, Sendable, Equatable {
    /// The feed ID (64 hex digits, Protocol.md §7.2).
    public var feed: String
    /// The author's node ID.
    public var author: NodeID
    /// The feed kind's name (`control`, `direct`, `group`, `moments`).
    public var kind: String
    /// Its latest seq here.
    public var head: UInt64
    /// Frozen after a fork (§7.3).
    public var frozen: Bool

    public init(feed: String, author: NodeID, kind: String, head: UInt64, frozen: Bool) {
        self.feed = feed
        self.author = author
        self.kind = kind
        self.head = head
        self.frozen = frozen
    }
}
