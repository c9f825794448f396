/// The answer to a membership change made through the control API (`invite`, `remove`,
/// `admins`, `leave`): what was done, the group as it is now, and the member concerned in
/// canonical form, however it was named in the request.
public struct GroupChange: Codable, Sendable, Equatable {
    /// What this node did.
    public enum Action: String, Codable, Sendable {
        case invited, removed, admin, left
    }

    public var action: Action
    /// The group after the change.
    public var group: GroupSummary
    /// The member concerned (nil for `left`: this node itself).
    public var member: GroupMember?

    public init(action: Action, group: GroupSummary, member: GroupMember?) {
        self.action = action
        self.group = group
        self.member = member
    }
}
