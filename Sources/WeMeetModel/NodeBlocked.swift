/// The answer of `POST /v1/blocked`: the node blocked, its ID in canonical form.
public struct NodeBlocked: Codable, Sendable, Equatable {
    public var blocked: String

    public init(blocked: String) {
        self.blocked = blocked
    }
}
