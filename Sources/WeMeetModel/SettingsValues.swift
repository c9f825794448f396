/// The request body of `POST /v1/settings` (any subset), and the answer of both settings
/// routes (every setting).
public struct SettingsValues: Codable, Sendable, Equatable {
    /// Whether this node's public-group posts are served only to the groups' members.
    public var hidePublicPosts: Bool?
    /// Quotas, by name (``QuotaLimits/names``): bytes or feeds.
    public var quotas: [String: UInt64]?
    /// Attachments up to this many bytes are fetched as soon as their entry arrives; larger
    /// ones when asked (0: none by itself).
    public var automaticAttachmentBytes: UInt64?
    /// Whether this node sends typing indicators and shows friends'.
    public var typingIndicators: Bool?
    /// Whether this node holds and passes on mail between its friends (Protocol.md §8.5).
    public var relayForFriends: Bool?
    /// Whether this node deposits its mail with friends who relay.
    public var friendsRelayMine: Bool?

    /// The largest automatic attachment size a user may set: 1 TiB.
    public static let automaticAttachmentLimit: UInt64 = 1 << 40

    enum CodingKeys: String, CodingKey {
        case hidePublicPosts = "hide_public_posts"
        case quotas
        case automaticAttachmentBytes = "automatic_attachment_bytes"
        case typingIndicators = "typing_indicators"
        case relayForFriends = "relay_for_friends"
        case friendsRelayMine = "friends_relay_mine"
    }

    public init(
        hidePublicPosts: Bool? = nil, quotas: [String: UInt64]? = nil, automaticAttachmentBytes: UInt64? = nil,
        typingIndicators: Bool? = nil, relayForFriends: Bool? = nil, friendsRelayMine: Bool? = nil
    ) {
        self.relayForFriends = relayForFriends
        self.friendsRelayMine = friendsRelayMine
        self.hidePublicPosts = hidePublicPosts
        self.quotas = quotas
        self.automaticAttachmentBytes = automaticAttachmentBytes
        self.typingIndicators = typingIndicators
    }
}
