/// The answer of `GET /v1/inbox`: conversations, most recent first.
public struct ConversationList: Codable, Sendable, Equatable {
    public var conversations: [ConversationSummary]

    public init(conversations: [ConversationSummary]) {
        self.conversations = conversations
    }
}
