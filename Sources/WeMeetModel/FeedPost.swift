import Foundation
import WeMeetCrypto

/// A group post, comment or moment, as the group, discover, moments and feed views show it.
public struct FeedPost: Codable, Sendable, Equatable {
    /// The entry ID (hex): stable across nodes; `--reply` takes it (or its first 8 digits).
    public var id: String
    /// What a post is.
    public enum Kind: String, Codable, Sendable, CustomStringConvertible {
        public var description: String { rawValue }

        /// A post or comment in a group.
        case post
        /// A moment: a post to every friend.
        case moment
    }

    public var kind: Kind
    /// The group ID, for posts.
    public var group: String?
    public var groupName: String?
    /// The author's node ID.
    public var author: NodeID
    /// The author's name ("me" for this node).
    public var from: String
    /// The text; nil when it cannot be read here (sealed under a key this node was not given).
    public var text: String?
    /// The post (or comment) this one comments on.
    public var reply: String?
    /// In a group's list: how deep in its thread (0 a post, 1 a comment, 2 a reply to a
    /// comment…), counted within the page (``PostThreads``).
    public var depth: Int?
    /// In a group's list: the ID of the post that starts its thread on the page.
    public var thread: String?
    public var sentAt: Date
    public var seq: UInt64
    /// Photos, voice notes and files it carries.
    public var attachments: [Attachment]?
    /// A moment's likes, by name ("me" or a friend's), from the people this node is friends
    /// with (Protocol.md §10.8); absent when none.
    public var likes: [String]?
    /// A moment's comments, the same way.
    public var comments: [MomentComment]?
    /// The post a group post quotes, as this node's own store shows it, or "not available"
    /// (Protocol.md §10.2).
    public var quote: QuotedMessage?
    /// Its author recalled it (撤回): no text, attachments or quote are given.
    public var recalled: Bool?

    /// One comment on a moment.
    public struct MomentComment: Codable, Sendable, Equatable {
        public var from: String
        public var text: String

        package init(from: String, text: String) {
            self.from = from
            self.text = text
        }
    }

    package init(
        id: String, kind: Kind, group: String? = nil, groupName: String? = nil, author: NodeID, from: String,
        text: String? = nil, reply: String? = nil, sentAt: Date, seq: UInt64, attachments: [Attachment]? = nil
    ) {
        self.attachments = attachments
        self.id = id
        self.kind = kind
        self.group = group
        self.groupName = groupName
        self.author = author
        self.from = from
        self.text = text
        self.reply = reply
        self.sentAt = sentAt
        self.seq = seq
    }
}
