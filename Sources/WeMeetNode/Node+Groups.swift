import Foundation
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

/// Groups, moments, discover, the feed and settings (Protocol.md §10, API.md).
extension Node {
    /// Likes (or, `like` false, unlikes) a moment; exactly this node's friends learn of it.
    public func like(moment: String, _ like: Bool = true) async throws(NodeError) -> MomentReacted {
        let id = moment.lowercased()
        try await running().groups.react(like ? .init(like: id) : .init(unlike: id))
        return MomentReacted(action: like ? "like" : "unlike", moment: id)
    }

    /// Comments on a moment; exactly this node's friends learn of it.
    public func comment(moment: String, _ text: String) async throws(NodeError) -> MomentReacted {
        let id = moment.lowercased()
        try await running().groups.react(.init(comment: id, text: text))
        return MomentReacted(action: "comment", moment: id)
    }

    /// Creates a group; this node is its first admin.
    public func createGroup(name: String, isPublic: Bool) async throws(NodeError) -> GroupSummary {
        try await running().groups.create(name: name, isPublic: isPublic)
    }

    /// The groups this node is in, was invited to or left.
    public func groups() async throws(NodeError) -> [GroupSummary] {
        let running = try running()
        var out: [GroupSummary] = []
        for var group in await running.groups.list() {
            guard let id = GroupID(hex: group.id) else {
                out.append(group)
                continue
            }
            let preference = await running.chatPreferences.preference(ChatPreferences.chat(id))
            group.muted = preference.muted
            group.pinned = preference.pinned
            out.append(group)
        }
        return out.filter { $0.pinned == true } + out.filter { $0.pinned != true }
    }

    /// Sets the user's mute or pin for a group (on this node only; a group has no remark).
    public func setPreference(
        group text: String, _ change: ChatPreferenceChange
    ) async throws(NodeError)
        -> ChatPreference
    {
        guard change.remark == nil else {
            throw NodeError(code: .invalidArgument, message: "a group has its own name: remarks are for friends")
        }
        let running = try running()
        let id = try await running.groups.resolve(text)
        let preference = try await running.chatPreferences.change(ChatPreferences.chat(id), change)
        events.publish(NodeEvent(type: .chatChanged, group: id.description))
        return preference
    }

    /// One group (by name, ID or ID prefix) and its members.
    public func group(_ text: String) async throws(NodeError) -> (GroupSummary, [GroupMember]) {
        let running = try running()
        let id = try await running.groups.resolve(text)
        var summary = try await running.groups.summary(id)
        let preference = await running.chatPreferences.preference(ChatPreferences.chat(id))
        summary.muted = preference.muted
        summary.pinned = preference.pinned
        return (summary, try await running.groups.members(id))
    }

    /// Invites a friend to a group (admins only).
    @discardableResult
    public func invite(_ friend: String, to group: String) async throws(NodeError) -> GroupChange {
        let running = try running()
        let id = try await running.groups.resolve(group)
        let invited = try await findFriend(friend)
        try await running.groups.invite(id, invited)
        return try await change(.invited, id, member: invited.nodeID)
    }

    /// The answer to a membership change: the group now, and the member concerned.
    private func change(
        _ action: GroupChange.Action, _ id: GroupID, member: NodeID?
    ) async throws(NodeError)
        -> GroupChange
    {
        let groups = try running().groups
        let members = try await groups.members(id)
        let record = member.flatMap { nodeID in members.first { $0.nodeID == nodeID } }
        let fallback = member.map { GroupMember(nodeID: $0, name: "", role: .none, admin: false) }
        return GroupChange(action: action, group: try await groups.summary(id), member: record ?? fallback)
    }

    /// Joins a group this node was invited to, or a public one (seen via discover).
    public func joinGroup(_ group: String) async throws(NodeError) -> GroupSummary {
        let groups = try running().groups
        return try await groups.join(try await groups.resolve(group))
    }

    /// Leaves a group.
    @discardableResult
    public func leaveGroup(_ group: String) async throws(NodeError) -> GroupChange {
        let groups = try running().groups
        let id = try await groups.resolve(group)
        try await groups.leave(id)
        return try await change(.left, id, member: nil)
    }

    /// Removes a member (a friend's name, a member's name or a node ID); admins only.
    @discardableResult
    public func removeMember(_ member: String, from group: String) async throws(NodeError) -> GroupChange {
        let groups = try running().groups
        let id = try await groups.resolve(group)
        let nodeID = try await memberID(member, in: id)
        try await groups.remove(id, nodeID)
        return try await change(.removed, id, member: nodeID)
    }

    /// Makes a member an admin (the creator only).
    @discardableResult
    public func promote(_ member: String, in group: String) async throws(NodeError) -> GroupChange {
        let groups = try running().groups
        let id = try await groups.resolve(group)
        let nodeID = try await memberID(member, in: id)
        try await groups.promote(id, nodeID)
        return try await change(.admin, id, member: nodeID)
    }

    private func memberID(_ text: String, in group: GroupID) async throws(NodeError) -> NodeID {
        if let nodeID = try? NodeID(text) { return nodeID }
        let members = try await running().groups.members(group).filter { $0.name == text }
        if members.count == 1 { return members[0].nodeID }
        if members.count > 1 {
            throw NodeError(code: .conflict, message: "several members are called \(text); use the node ID")
        }
        throw NodeError(code: .notFound, message: "nobody called \(text) in the group (see `wemeet group members`)")
    }

    /// Posts (or comments, with `reply`) in a group.
    public func post(_ text: String, to group: String, reply: String? = nil) async throws(NodeError) -> FeedPost {
        let groups = try running().groups
        return try await groups.post(try await groups.resolve(group), text: text, reply: reply)
    }

    /// Recalls one of this node's own posts in `group` (撤回), within 2 minutes of posting it.
    public func recallPost(_ post: String, in group: String) async throws(NodeError) -> FeedPost {
        let groups = try running().groups
        return try await groups.recallPost(post, in: try await groups.resolve(group))
    }

    /// A group's posts, oldest first.
    public func posts(in group: String, since: Date? = nil, limit: Int? = nil) async throws(NodeError) -> [FeedPost] {
        try await postPage(in: group, since: since, limit: limit).posts
    }

    /// One page of a group's posts, oldest first, `before` a later page's cursor.
    public func postPage(
        in group: String, since: Date? = nil, before: PageCursor? = nil, limit: Int? = nil
    ) async throws(NodeError) -> PostList {
        try Self.check(limit: limit)
        let groups = try running().groups
        let page = try await groups.posts(
            try await groups.resolve(group), since: since, before: before?.offset, limit: limit)
        return PostList(posts: page.posts, earlier: page.earlier.map(PageCursor.init(offset:)))
    }

    /// Posts a moment for all friends.
    public func postMoment(_ text: String) async throws(NodeError) -> FeedPost {
        try await running().groups.postMoment(text)
    }

    /// This node's and its friends' moments, newest first.
    public func moments(limit: Int = 50) async throws(NodeError) -> [FeedPost] {
        try await momentsPage(limit: limit).posts
    }

    /// One page of ``moments(limit:)``, `before` a later page's cursor.
    public func momentsPage(before: PageCursor? = nil, limit: Int = 50) async throws(NodeError) -> PostList {
        try Self.check(limit: limit)
        let page = try await running().groups.moments(before: before?.offset, limit: limit)
        return PostList(posts: page.posts, earlier: page.earlier.map(PageCursor.init(offset:)))
    }

    /// Friends' posts in public groups this node is not in, newest first.
    public func discover(limit: Int = 50) async throws(NodeError) -> [FeedPost] {
        try await discoverPage(limit: limit).posts
    }

    /// One page of ``discover(limit:)``, `before` a later page's cursor.
    public func discoverPage(before: PageCursor? = nil, limit: Int = 50) async throws(NodeError) -> PostList {
        try Self.check(limit: limit)
        let page = try await running().groups.discover(before: before?.offset, limit: limit)
        return PostList(posts: page.posts, earlier: page.earlier.map(PageCursor.init(offset:)))
    }

    /// Moments and group posts, newest first.
    public func feed(limit: Int = 50) async throws(NodeError) -> [FeedPost] {
        try await feedPage(limit: limit).posts
    }

    /// One page of ``feed(limit:)``, `before` a later page's cursor.
    public func feedPage(before: PageCursor? = nil, limit: Int = 50) async throws(NodeError) -> PostList {
        try Self.check(limit: limit)
        let page = try await running().groups.feed(before: before?.offset, limit: limit)
        return PostList(posts: page.posts, earlier: page.earlier.map(PageCursor.init(offset:)))
    }

    /// Whether this node's public-group posts are hidden from friends outside the group.
    public func hidesPublicPosts() async throws(NodeError) -> Bool {
        await (try running()).settings.hidePublicPosts
    }

    /// Turns hiding public-group posts from friends on or off. It applies to entries not yet
    /// delivered; what friends already hold stays with them.
    public func setHidePublicPosts(_ on: Bool) async throws(NodeError) {
        let running = try running()
        try await running.settings.change { $0.hidePublicPosts = on }
        await running.sync.policyChanged()
    }

    /// The group channels open: to fellow members who are not friends (Protocol.md §10.9).
    package func groupChannels() async -> Int {
        guard let running = try? running() else { return 0 }
        return await running.manager.groupChannels()
    }
}
