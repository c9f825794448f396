import Foundation
import WeMeetCrypto

/// One direct message, as `wemeet messages` and `GET /v1/messages/FRIEND` show it.
public struct DirectMessage: Codable, Sendable, Equatable {
    /// The entry ID (hex): stable across nodes.
    public var id: String
    /// The friend this conversation is with.
    public var friend: NodeID
    /// Which way a message went.
    public enum Direction: String, Codable, Sendable, CustomStringConvertible {
        public var description: String { rawValue }

        /// Sent by this node.
        case outgoing = "out"
        /// Received from the friend.
        case incoming = "in"
    }

    /// How far an outgoing message got.
    public enum Status: String, Codable, Sendable, Comparable, CustomStringConvertible {
        public var description: String { rawValue }

        /// Durable here.
        case sent
        /// The friend's node holds it.
        case delivered
        /// The friend's client showed it.
        case read

        public static func < (lhs: Status, rhs: Status) -> Bool {
            let order: [Status] = [.sent, .delivered, .read]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// `out` (sent by this node) or `in`.
    public var direction: Direction
    /// Who wrote it (a display name; "me" for outgoing).
    public var from: String
    public var text: String
    /// The author's clock when it was written.
    public var sentAt: Date
    /// Its seq in the author's DM feed.
    public var seq: UInt64
    /// For outgoing messages: `sent` (durable here), `delivered` (the friend's node holds it)
    /// or `read` (the friend's client showed it).
    public var status: Status?
    /// Only in the answer to a send: whether the friend's node was connected, so the
    /// message is on its way now (else it waits until the two next meet).
    public var friendOnline: Bool?
    /// Photos, voice notes and files it carries (their state here: `GET /v1/attachments`).
    public var attachments: [Attachment]?
    /// The message it replies to, quoted as this node holds it (never as the sender claims).
    public var quote: QuotedMessage?
    /// Its author recalled it (撤回): its text and attachments are no longer shown here.
    public var recalled: Bool?
    /// Outgoing and not yet delivered: the mutual friends who hold it for the reader
    /// (Protocol.md §8.5), by name — "held by Carol for Bob".
    public var heldBy: [String]?
    /// Incoming: the mutual friend who gave it to this node, when not its author — "via Carol".
    /// Outgoing and delivered: the mutual friend who brought the reader's delivered-receipt —
    /// "delivered via Carol".
    public var via: String?

    package init(
        id: String, friend: NodeID, direction: Direction, from: String, text: String, sentAt: Date, seq: UInt64,
        status: Status? = nil, friendOnline: Bool? = nil, attachments: [Attachment]? = nil
    ) {
        self.attachments = attachments
        self.id = id
        self.friend = friend
        self.direction = direction
        self.from = from
        self.text = text
        self.sentAt = sentAt
        self.seq = seq
        self.status = status
        self.friendOnline = friendOnline
    }
}

/// The message a reply quotes (Protocol.md §9.2), read from this node's own store: its
/// author and text as this node holds them. `available` is false when this node holds no
/// such message in this conversation (never there, or a quote that does not check out).
public struct QuotedMessage: Codable, Sendable, Equatable {
    /// The quoted entry's ID, as the reply names it.
    public var id: String
    public var available: Bool
    /// "me", or the friend's name.
    public var from: String?
    public var text: String?
    /// How many photos, voice notes and files the quoted message carries.
    public var attachments: Int?

    package init(id: String, available: Bool, from: String? = nil, text: String? = nil, attachments: Int? = nil) {
        self.id = id
        self.available = available
        self.from = from
        self.text = text
        self.attachments = attachments
    }
}

/// One conversation in `wemeet inbox`.
public struct ConversationSummary: Codable, Sendable, Equatable {
    public var friend: NodeID
    public var name: String
    /// Incoming messages not yet shown.
    public var unread: Int
    /// Messages both ways.
    public var messages: Int
    public var last: DirectMessage?
    /// The user's own name for this friend (``ChatPreference``), muted and pinned.
    public var remark: String?
    public var muted: Bool?
    public var pinned: Bool?

    package init(friend: NodeID, name: String, unread: Int, messages: Int, last: DirectMessage? = nil) {
        self.friend = friend
        self.name = name
        self.unread = unread
        self.messages = messages
        self.last = last
    }
}
