/// The answer of `GET /v1/groups`: the groups this node is in, invited to, or left or was removed from.
public struct GroupList: Codable, Sendable, Equatable {
    public var groups: [GroupSummary]

    public init(groups: [GroupSummary]) {
        self.groups = groups
    }
}
