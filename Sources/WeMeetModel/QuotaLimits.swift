import Foundation

/// How much other nodes may make this node store (Protocol.md §8.4), a user setting
/// (`wemeet settings quota`, `POST /v1/settings`). Every entry a node takes from a peer counts
/// against the quotas of the feed's **author** — whoever wrote it, not whoever relayed it —
/// and against the totals. What this node cannot use has tight caps of its own.
public struct QuotaLimits: Codable, Sendable, Equatable {
    /// Bytes of entries one author's feeds may hold here (default 1 GiB).
    public var authorBytes: UInt64
    /// Feeds one author may have here (default 1,000).
    public var authorFeeds: Int
    /// Bytes of all other nodes' entries together (default 8 GiB).
    public var totalBytes: UInt64
    /// Other nodes' feeds together (default 100,000).
    public var totalFeeds: Int
    /// Bytes of an author's direct messages this node cannot decrypt (default 1 MiB).
    public var unreadableBytes: UInt64
    /// Feeds of one author in groups this node is not in — what discover shows (default 32).
    public var outsiderFeeds: Int
    /// Bytes of one author's entries in groups this node is not in (default 1 MiB).
    public var outsiderBytes: UInt64

    public static let defaults = QuotaLimits(
        authorBytes: 1 << 30, authorFeeds: 1_000, totalBytes: 8 << 30, totalFeeds: 100_000,
        unreadableBytes: 1 << 20, outsiderFeeds: 32, outsiderBytes: 1 << 20)

    public init(
        authorBytes: UInt64, authorFeeds: Int, totalBytes: UInt64, totalFeeds: Int, unreadableBytes: UInt64,
        outsiderFeeds: Int, outsiderBytes: UInt64
    ) {
        self.authorBytes = authorBytes
        self.authorFeeds = authorFeeds
        self.totalBytes = totalBytes
        self.totalFeeds = totalFeeds
        self.unreadableBytes = unreadableBytes
        self.outsiderFeeds = outsiderFeeds
        self.outsiderBytes = outsiderBytes
    }

    /// A quota's name, as `wemeet settings quota NAME VALUE`, the API and REJECT texts spell it.
    public enum Name: String, CodingKey, CaseIterable, Sendable {
        case authorBytes = "author_bytes"
        case authorFeeds = "author_feeds"
        case totalBytes = "total_bytes"
        case totalFeeds = "total_feeds"
        case unreadableBytes = "unreadable_bytes"
        case outsiderFeeds = "outsider_feeds"
        case outsiderBytes = "outsider_bytes"
    }

    package typealias CodingKeys = Name

    /// Missing fields take their defaults (records written before a field existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        authorBytes = try container.decodeIfPresent(UInt64.self, forKey: .authorBytes) ?? d.authorBytes
        authorFeeds = try container.decodeIfPresent(Int.self, forKey: .authorFeeds) ?? d.authorFeeds
        totalBytes = try container.decodeIfPresent(UInt64.self, forKey: .totalBytes) ?? d.totalBytes
        totalFeeds = try container.decodeIfPresent(Int.self, forKey: .totalFeeds) ?? d.totalFeeds
        unreadableBytes = try container.decodeIfPresent(UInt64.self, forKey: .unreadableBytes) ?? d.unreadableBytes
        outsiderFeeds = try container.decodeIfPresent(Int.self, forKey: .outsiderFeeds) ?? d.outsiderFeeds
        outsiderBytes = try container.decodeIfPresent(UInt64.self, forKey: .outsiderBytes) ?? d.outsiderBytes
    }

    /// The setting names, as `wemeet settings quota NAME VALUE` and the API spell them.
    public static var names: [String] { Name.allCases.map(\.rawValue) }

    /// The limit called `name` (bytes or feeds).
    public subscript(name: Name) -> UInt64 {
        switch name {
        case .authorBytes: authorBytes
        case .authorFeeds: UInt64(authorFeeds)
        case .totalBytes: totalBytes
        case .totalFeeds: UInt64(totalFeeds)
        case .unreadableBytes: unreadableBytes
        case .outsiderFeeds: UInt64(outsiderFeeds)
        case .outsiderBytes: outsiderBytes
        }
    }

    /// Each quota by its name (bytes or feeds).
    public var byName: [String: UInt64] {
        Dictionary(uniqueKeysWithValues: Name.allCases.map { ($0.rawValue, self[$0]) })
    }

    /// Sets the quota called `name` (see ``names``) to `value`: bytes for `*_bytes`, a count
    /// for `*_feeds`.
    /// - Throws: ``NodeError/Code/invalidArgument`` for an unknown name or a value out of range.
    public mutating func set(_ name: String, to value: UInt64) throws(NodeError) {
        guard let key = Name(rawValue: name) else {
            throw NodeError(
                code: .invalidArgument,
                message: "no quota called \"\(name)\"; the quotas are \(Self.names.joined(separator: ", "))")
        }
        let maximumFeeds = 10_000_000
        switch key {
        case .authorFeeds, .totalFeeds, .outsiderFeeds:
            guard value <= maximumFeeds else {
                throw NodeError(code: .invalidArgument, message: "\(name) must be at most \(maximumFeeds) feeds")
            }
        default:
            guard value <= 1 << 50 else {
                throw NodeError(code: .invalidArgument, message: "\(name) must be at most 1 PiB")
            }
        }
        switch key {
        case .authorBytes: authorBytes = value
        case .authorFeeds: authorFeeds = Int(value)
        case .totalBytes: totalBytes = value
        case .totalFeeds: totalFeeds = Int(value)
        case .unreadableBytes: unreadableBytes = value
        case .outsiderFeeds: outsiderFeeds = Int(value)
        case .outsiderBytes: outsiderBytes = value
        }
    }
}
