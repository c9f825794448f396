/// What `wemeet store verify` reports (and `GET /v1/store/verify`, so a running node can be
/// verified without stopping it): every entry's checksum, signature and chain checked.
public struct StoreVerification: Codable, Sendable, Equatable {
    public var entries: Int
    public var feeds: Int
    public var forks: Int
    /// What recovery did when the store was opened (a torn tail cut), if anything.
    public var recovery: String?

    public init(entries: Int, feeds: Int, forks: Int, recovery: String?) {
        self.entries = entries
        self.feeds = feeds
        self.forks = forks
        self.recovery = recovery
    }
}
