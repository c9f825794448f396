import Foundation
import WeMeetCrypto

/// A friend: a node this one paired with (Protocol.md §6.5).
public struct Friend: Codable, Sendable, Equatable {
    /// The friend's node ID (its Ed25519 public key; its X25519 key derives from it).
    public var nodeID: NodeID
    /// The name it had at the last pairing or connection.
    public var name: String
    /// The six-digit code both people saw when they paired.
    public var code: String
    /// When the pairing completed.
    public var pairedAt: Date
    /// The user's own name for this friend, on this node only (``ChatPreference``).
    public var remark: String?
    /// No notifications for this friend's messages.
    public var muted: Bool?
    /// This friend's chat is listed first.
    public var pinned: Bool?

    package init(nodeID: NodeID, name: String, code: String, pairedAt: Date) {
        self.nodeID = nodeID
        self.name = name
        self.code = code
        self.pairedAt = pairedAt
    }
}

extension Friend {
    /// Whether `text` names this friend as typed: its node ID (canonical form) or its name.
    /// The node resolves any form of an ID and ambiguous names (`Node.findFriend`); clients
    /// match what it answered.
    public func matches(_ text: String) -> Bool { nodeID.description == text || name == text || remark == text }

    /// The friend with `preference` (remark, mute, pin) applied.
    public func with(_ preference: ChatPreference) -> Friend {
        var friend = self
        friend.remark = preference.remark
        friend.muted = preference.muted
        friend.pinned = preference.pinned
        return friend
    }
}
