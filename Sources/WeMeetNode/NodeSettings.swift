import Foundation
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// The user's settings, kept as records in the node's own control feed (Protocol.md §10.6)
/// so they survive restarts: the latest record wins.
package actor NodeSettings {
    /// The control-feed content type of a settings record.
    package static let contentType: UInt16 = 0x0104

    /// A settings record: `{"automatic_attachment_bytes": N, "hide_public_posts": BOOL,
    /// "quotas": {…}, "typing_indicators": BOOL,
    /// "relay_for_friends": BOOL, "friends_relay_mine": BOOL}` (a missing field keeps its default).
    package struct Values: Codable, Sendable, Equatable {
        /// When on, this node's public-group posts are served only to the group's members,
        /// never to friends outside it (discover).
        package var hidePublicPosts = false
        /// Storage quotas (§8.4).
        package var quotas = QuotaLimits.defaults
        /// Attachments up to this size are fetched as soon as their entry arrives (§13.3);
        /// `nil`: the node's configured default.
        package var automaticAttachmentBytes: UInt64?
        /// Whether this node sends typing indicators and shows friends' (§9.5).
        package var typingIndicators = true
        /// Whether this node holds and passes on mail between its friends (§8.5).
        package var relayForFriends = true
        /// Whether this node deposits its mail with friends who relay (§8.5).
        package var friendsRelayMine = true

        package enum CodingKeys: String, CodingKey {
            case hidePublicPosts = "hide_public_posts"
            case quotas
            case automaticAttachmentBytes = "automatic_attachment_bytes"
            case typingIndicators = "typing_indicators"
            case relayForFriends = "relay_for_friends"
            case friendsRelayMine = "friends_relay_mine"
        }

        package init(
            hidePublicPosts: Bool = false, quotas: QuotaLimits = .defaults, automaticAttachmentBytes: UInt64? = nil
        ) {
            self.hidePublicPosts = hidePublicPosts
            self.quotas = quotas
            self.automaticAttachmentBytes = automaticAttachmentBytes
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            hidePublicPosts = try container.decodeIfPresent(Bool.self, forKey: .hidePublicPosts) ?? false
            quotas = try container.decodeIfPresent(QuotaLimits.self, forKey: .quotas) ?? .defaults
            automaticAttachmentBytes = try container.decodeIfPresent(UInt64.self, forKey: .automaticAttachmentBytes)
            typingIndicators = try container.decodeIfPresent(Bool.self, forKey: .typingIndicators) ?? true
            relayForFriends = try container.decodeIfPresent(Bool.self, forKey: .relayForFriends) ?? true
            friendsRelayMine = try container.decodeIfPresent(Bool.self, forKey: .friendsRelayMine) ?? true
        }
    }

    private let store: Store
    private let key: Ed25519.PrivateKey
    private let feed: Feed
    package private(set) var values = Values()

    package init(store: Store, key: Ed25519.PrivateKey) async throws {
        self.store = store
        self.key = key
        feed = Feed(author: key.publicKey, kind: .control)
        let head = await store.head(of: feed.id)
        guard head > 0 else { return }
        for entry in try await store.entries(of: feed.id, seqs: 1...head) where entry.contentType == Self.contentType {
            if let values = try? JSONDecoder().decode(Values.self, from: Data(entry.payload)) { self.values = values }
        }
    }

    package var hidePublicPosts: Bool { values.hidePublicPosts }
    package var quotas: QuotaLimits { values.quotas }

    /// Changes some settings and records them; durable when it returns.
    package func change(_ body: @Sendable (inout Values) -> Void) async throws(NodeError) {
        var values = self.values
        body(&values)
        do { try await update(values) } catch {
            throw NodeError(code: .io, message: "cannot record the setting: \(error)")
        }
    }

    /// Records new settings; durable when it returns.
    package func update(_ values: Values) async throws {
        guard values != self.values else { return }
        _ = try await store.append(
            to: feed, contentType: Self.contentType, payload: GroupRecord.encode(values), key: key)
        self.values = values
    }
}
