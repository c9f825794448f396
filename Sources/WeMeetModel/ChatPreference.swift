/// How this node's user keeps one chat (a friend's conversation or a group), on this node
/// only: never sent to anyone (Protocol.md §6.5, `0x0105`; API.md, "Remarks, mute and pin").
public struct ChatPreference: Codable, Sendable, Equatable {
    /// The chat: a friend's node ID, or `group:` and a group's ID.
    public var chat: String
    /// A name the user gives a friend (a remark, 备注), shown instead of the friend's own.
    public var remark: String?
    /// No notifications for this chat (mentions still notify).
    public var muted: Bool
    /// Listed first.
    public var pinned: Bool

    public init(chat: String, remark: String? = nil, muted: Bool = false, pinned: Bool = false) {
        self.chat = chat
        self.remark = remark
        self.muted = muted
        self.pinned = pinned
    }

    /// The longest remark, in characters.
    public static let remarkLimit = 64

    /// Whether this preference says nothing beyond the defaults.
    public var isDefault: Bool { remark == nil && !muted && !pinned }
}

/// The body of `PUT /v1/friends/{friend}/preferences` and `PUT /v1/groups/{group}/preferences`:
/// any subset; an empty `remark` removes it.
public struct ChatPreferenceChange: Codable, Sendable, Equatable {
    public var remark: String?
    public var muted: Bool?
    public var pinned: Bool?

    public init(remark: String? = nil, muted: Bool? = nil, pinned: Bool? = nil) {
        self.remark = remark
        self.muted = muted
        self.pinned = pinned
    }
}
