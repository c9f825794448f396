import WeMeetCrypto

/// One person in a group, as `wemeet group members` shows them.
public struct GroupMember: Codable, Sendable, Equatable {
    public var nodeID: NodeID
    /// The name it joined with (or a friend's name); empty when unknown.
    public var name: String
    /// `invited`, `member`, `left` or `removed`.
    public var role: GroupRole
    public var admin: Bool

    package init(nodeID: NodeID, name: String, role: GroupRole, admin: Bool) {
        self.nodeID = nodeID
        self.name = name
        self.role = role
        self.admin = admin
    }
}
