/// The answer of `DELETE /v1/friends/{friend}`: the friend unpaired.
public struct FriendRemoved: Codable, Sendable, Equatable {
    public var removed: Friend

    public init(removed: Friend) {
        self.removed = removed
    }
}
