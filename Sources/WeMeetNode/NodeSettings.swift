import Foundation
import WeMeetCrypto
import WeMeetStore

/// The user's settings, kept as records in the node's own control feed (Protocol.md §10.6)
/// so they survive restarts: the latest record wins.
actor NodeSettings {
    /// The control-feed content type of a settings record.
    static let contentType: UInt16 = 0x0104

    /// A settings record: `{"hide_public_posts": BOOL, "quotas": {…}}` (a missing field keeps
    /// its default).
    struct Values: Codable, Sendable, Equatable {
        /// When on, this node's public-group posts are served only to the group's members,
        /// never to friends outside it (discover).
        var hidePublicPosts = false
        /// Storage quotas (§8.4).
        var quotas = QuotaLimits.defaults

        enum CodingKeys: String, CodingKey {
            case hidePublicPosts = "hide_public_posts"
            case quotas
        }

        init(hidePublicPosts: Bool = false, quotas: QuotaLimits = .defaults) {
            self.hidePublicPosts = hidePublicPosts
            self.quotas = quotas
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            hidePublicPosts = try container.decodeIfPresent(Bool.self, forKey: .hidePublicPosts) ?? false
            quotas = try container.decodeIfPresent(QuotaLimits.self, forKey: .quotas) ?? .defaults
        }
    }

    private let store: Store
    private let key: Ed25519.PrivateKey
    private let feed: Feed
    private(set) var values = Values()

    init(store: Store, key: Ed25519.PrivateKey) async throws {
        self.store = store
        self.key = key
        feed = Feed(author: key.publicKey, kind: .control)
        let head = await store.head(of: feed.id)
        guard head > 0 else { return }
        for entry in try await store.entries(of: feed.id, seqs: 1...head) where entry.contentType == Self.contentType {
            if let values = try? JSONDecoder().decode(Values.self, from: Data(entry.payload)) { self.values = values }
        }
    }

    var hidePublicPosts: Bool { values.hidePublicPosts }
    var quotas: QuotaLimits { values.quotas }

    /// Records new settings; durable when it returns.
    func update(_ values: Values) async throws {
        guard values != self.values else { return }
        _ = try await store.append(
            to: feed, contentType: Self.contentType, payload: GroupRecord.encode(values), key: key)
        self.values = values
    }
}
