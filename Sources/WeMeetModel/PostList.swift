/// The answer of the post routes: a group's posts (oldest first), or moments, discover and
/// the feed (newest first).
public struct PostList: Codable, Sendable, Equatable {
    public var posts: [FeedPost]
    /// The cursor of the page before this one (`?before=`); absent when this page reaches
    /// back to the first post.
    public var earlier: PageCursor?

    public init(posts: [FeedPost], earlier: PageCursor? = nil) {
        self.posts = posts
        self.earlier = earlier
    }
}
