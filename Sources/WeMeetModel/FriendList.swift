/// The answer of `GET /v1/friends`: friends, by name.
public struct FriendList: Codable, Sendable, Equatable {
    public var friends: [Friend]

    public init(friends: [Friend]) {
        self.friends = friends
    }
}
