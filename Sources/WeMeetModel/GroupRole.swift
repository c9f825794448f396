/// A node's place in a group, as the control API shows it (`GroupSummary/role`,
/// `GroupMember/role`).
public enum GroupRole: String, Codable, Sendable, CustomStringConvertible {
    /// Invited by an admin; not yet joined.
    case invited
    /// Joined.
    case member
    /// Left by itself.
    case left
    /// Removed by an admin.
    case removed
    /// Not in the group: a public group seen only through a friend's posts.
    case none

    public var description: String { rawValue }
}
