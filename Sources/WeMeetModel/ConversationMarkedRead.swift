/// The answer of `POST /v1/messages/{friend}/read`: the friend whose messages were marked read.
public struct ConversationMarkedRead: Codable, Sendable, Equatable {
    public var read: String

    public init(read: String) {
        self.read = read
    }
}
