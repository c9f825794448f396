/// The answer of `POST /v1/moments/{moment}/like`, `DELETE …/like` and `POST …/comments`:
/// what this node wrote about which moment (Protocol.md §10.8).
public struct MomentReacted: Codable, Sendable, Equatable {
    /// `like`, `unlike` or `comment`.
    public var action: String
    /// The moment's entry ID.
    public var moment: String

    public init(action: String, moment: String) {
        self.action = action
        self.moment = moment
    }
}
