import Foundation

/// One direct message, as `wemeet messages` and `GET /v1/messages/FRIEND` show it.
public struct DirectMessage: Codable, Sendable, Equatable {
    /// The entry ID (hex): stable across nodes.
    public var id: String
    /// The friend this conversation is with.
    public var friend: String
    /// `out` (sent by this node) or `in`.
    public var direction: String
    /// Who wrote it (a display name; "me" for outgoing).
    public var from: String
    public var text: String
    /// The author's clock when it was written.
    public var sentAt: Date
    /// Its seq in the author's DM feed.
    public var seq: UInt64
    /// For outgoing messages: `sent` (durable here), `delivered` (the friend's node holds it)
    /// or `read` (the friend's client showed it).
    public var status: String?
    /// Only in the answer to a send: whether the friend's node was connected, so the
    /// message is on its way now (else it waits until the two next meet).
    public var friendOnline: Bool?
}

/// One conversation in `wemeet inbox`.
public struct ConversationSummary: Codable, Sendable, Equatable {
    public var friend: String
    public var name: String
    /// Incoming messages not yet shown.
    public var unread: Int
    /// Messages both ways.
    public var messages: Int
    public var last: DirectMessage?
}
