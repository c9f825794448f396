/// The answer of `GET /v1/messages/{friend}`: the conversation, in the order this node received it.
public struct MessageList: Codable, Sendable, Equatable {
    public var messages: [DirectMessage]

    public init(messages: [DirectMessage]) {
        self.messages = messages
    }
}
