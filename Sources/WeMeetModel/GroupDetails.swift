/// The answer of `GET /v1/groups/{group}`: a group and its members (admins first); `wemeet
/// group show --json` adds its recent posts.
public struct GroupDetails: Codable, Sendable, Equatable {
    public var group: GroupSummary
    public var members: [GroupMember]
    public var posts: [FeedPost]?

    public init(group: GroupSummary, members: [GroupMember], posts: [FeedPost]? = nil) {
        self.group = group
        self.members = members
        self.posts = posts
    }
}
