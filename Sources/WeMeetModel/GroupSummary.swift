import WeMeetCrypto

/// One group as `wemeet group list` and `GET /v1/groups` show it.
public struct GroupSummary: Codable, Sendable, Equatable {
    /// The group ID (64 hex digits).
    public var id: String
    public var name: String
    /// Public groups are readable by anyone who joins.
    public var `public`: Bool
    /// This node's place: `member`, `invited`, `left`, `removed`, or `none` (a public group
    /// seen only through a friend's posts).
    public var role: GroupRole
    /// Whether this node is an admin.
    public var admin: Bool
    /// Members as far as this node knows.
    public var members: Int
    /// The creator's node ID.
    public var creator: NodeID
    /// The current key epoch (private groups; 0 for public ones).
    public var epoch: Int
    /// Whether this node can read and write the group now: it holds the current key (always
    /// true for public groups). An invitee may see the invitation a moment before its key.
    public var readable: Bool
    /// For an invitation: who invited this node (their node IDs; names are the reader's).
    public var invitedBy: [NodeID]?
    /// This node's user muted the group (``ChatPreference``; mentions still notify).
    public var muted: Bool?
    /// Listed first.
    public var pinned: Bool?

    package init(
        id: String, name: String, `public`: Bool, role: GroupRole, admin: Bool, members: Int, creator: NodeID,
        epoch: Int, readable: Bool, invitedBy: [NodeID]? = nil
    ) {
        self.id = id
        self.name = name
        self.`public` = `public`
        self.role = role
        self.admin = admin
        self.members = members
        self.creator = creator
        self.epoch = epoch
        self.readable = readable
        self.invitedBy = invitedBy
    }
}
