/// The answer of `GET /v1/groups/{group}/members`: members, admins first.
public struct MemberList: Codable, Sendable, Equatable {
    public var members: [GroupMember]

    public init(members: [GroupMember]) {
        self.members = members
    }
}
