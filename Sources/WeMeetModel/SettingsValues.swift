/// The request body of `POST /v1/settings` (any subset), and the answer of both settings
/// routes (every setting).
public struct SettingsValues: Codable, Sendable, Equatable {
    /// Whether this node's public-group posts are served only to the groups' members.
    public var hidePublicPosts: Bool?
    /// Quotas, by name (``QuotaLimits/names``): bytes or feeds.
    public var quotas: [String: UInt64]?

    enum CodingKeys: String, CodingKey {
        case hidePublicPosts = "hide_public_posts"
        case quotas
    }

    public init(hidePublicPosts: Bool? = nil, quotas: [String: UInt64]? = nil) {
        self.hidePublicPosts = hidePublicPosts
        self.quotas = quotas
    }
}
