/// The answer of `GET /v1/messages/{friend}`: the conversation, in the order this node received it.
public struct MessageList: Codable, Sendable, Equatable {
    public var messages: [DirectMessage]
    /// The cursor of the page before this one (`?before=`); absent when this page reaches
    /// back to the first message.
    public var earlier: PageCursor?

    public init(messages: [DirectMessage], earlier: PageCursor? = nil) {
        self.messages = messages
        self.earlier = earlier
    }
}
