/// The answer of the post routes: a group's posts (oldest first), or moments, discover and
/// the feed (newest first).
public struct PostList: Codable, Sendable, Equatable {
    public var posts: [FeedPost]

    public init(posts: [FeedPost]) {
        self.posts = posts
    }
}
