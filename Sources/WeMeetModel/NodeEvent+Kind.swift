extension NodeEvent {
    /// What kind of thing happened: the `event:` name of the control API's event stream
    /// (API.md, "Events"). A `RawRepresentable` struct like `Feed.Kind`, so a client built
    /// for this version still reads the events a later node adds (as unknown kinds).
    public struct Kind: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) { self.rawValue = rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public var description: String { rawValue }

        /// The part before the dot: `pair`, `radar`, `sync`, …
        public var family: Family { Family(rawValue: String(rawValue.prefix { $0 != "." })) }

        /// A family of kinds (the part of the name before the dot).
        public struct Family: RawRepresentable, Hashable, Sendable {
            public var rawValue: String
            public init(rawValue: String) { self.rawValue = rawValue }

            public static let node = Family(rawValue: "node")
            public static let peer = Family(rawValue: "peer")
            public static let radar = Family(rawValue: "radar")
            public static let pair = Family(rawValue: "pair")
            public static let friend = Family(rawValue: "friend")
            public static let sync = Family(rawValue: "sync")
            public static let dm = Family(rawValue: "dm")
            public static let group = Family(rawValue: "group")
            public static let attachment = Family(rawValue: "attachment")
        }

        // MARK: The node
        /// The node listens (address: the bound address).
        public static let nodeListening = Kind(rawValue: "node.listening")
        /// The node is stopping.
        public static let nodeStopping = Kind(rawValue: "node.stopping")

        // MARK: Connections
        public static let peerConnecting = Kind(rawValue: "peer.connecting")
        public static let peerConnected = Kind(rawValue: "peer.connected")
        public static let peerDisconnected = Kind(rawValue: "peer.disconnected")
        /// A static peer's dial state changed (detail: a ``NodeStatus/Dial/State``).
        public static let peerDialState = Kind(rawValue: "peer.dial-state")
        public static let peerDialFailed = Kind(rawValue: "peer.dial-failed")
        public static let peerDuplicateRefused = Kind(rawValue: "peer.duplicate-refused")

        // MARK: Radar
        public static let radarAppeared = Kind(rawValue: "radar.appeared")
        public static let radarUpdated = Kind(rawValue: "radar.updated")
        /// A node left the radar (detail: a ``NodeEvent/GoneReason``).
        public static let radarGone = Kind(rawValue: "radar.gone")
        /// Discovery changed state (detail: a ``RadarSnapshot/Discovery``).
        public static let radarDiscovery = Kind(rawValue: "radar.discovery")
        public static let radarAdvertised = Kind(rawValue: "radar.advertised")
        /// Not a node event: the first line of `wemeet radar --watch --json`, the snapshot the
        /// events that follow change.
        public static let radarSnapshot = Kind(rawValue: "radar.snapshot")

        // MARK: Pairing
        public static let pairPressed = Kind(rawValue: "pair.pressed")
        public static let pairCandidate = Kind(rawValue: "pair.candidate")
        public static let pairConfirmedBy = Kind(rawValue: "pair.confirmed-by")
        public static let pairDeclined = Kind(rawValue: "pair.declined")
        public static let pairRefused = Kind(rawValue: "pair.refused")
        public static let pairAmbiguous = Kind(rawValue: "pair.ambiguous")
        public static let pairPaired = Kind(rawValue: "pair.paired")
        public static let pairEnded = Kind(rawValue: "pair.ended")

        // MARK: Friends
        public static let friendRemoved = Kind(rawValue: "friend.removed")
        /// This node's own display name changed (`name`).
        public static let nodeRenamed = Kind(rawValue: "node.renamed")
        /// A friend's name changed: it connected with a new one (`peer`, `name`).
        public static let friendRenamed = Kind(rawValue: "friend.renamed")
        public static let friendBlocked = Kind(rawValue: "friend.blocked")
        /// The user changed a chat's remark, mute or pin (`peer` and `name`, or `group`).
        public static let chatChanged = Kind(rawValue: "chat.changed")

        // MARK: Sync
        public static let syncStarted = Kind(rawValue: "sync.started")
        /// Catching up (detail: `received/total`).
        public static let syncProgress = Kind(rawValue: "sync.progress")
        /// Caught up (detail: entries received).
        public static let syncCaughtUp = Kind(rawValue: "sync.caught-up")
        public static let syncRejected = Kind(rawValue: "sync.rejected")
        public static let syncQuota = Kind(rawValue: "sync.quota")
        /// Mail held here for friends changed (Protocol.md §8.5): deposited (`peer`: the
        /// depositor, `detail`: `held`) or dropped once its reader had it (`peer`: the reader,
        /// `detail`: `delivered`).
        public static let syncRelay = Kind(rawValue: "sync.relay")
        /// A friend told this node which of its friends it shares and whether it relays
        /// (`peer`; Protocol.md §8.5).
        public static let friendMutual = Kind(rawValue: "friend.mutual")

        // MARK: Direct messages
        public static let dmReceived = Kind(rawValue: "dm.received")
        /// A mutual friend now holds messages of ours for a friend who is away (`peer`: the
        /// reader, `name`: the relay's name, `detail`: the last seq held; Protocol.md §8.5).
        public static let dmHeld = Kind(rawValue: "dm.held")
        /// A member mentioned this node in a post (`group`, `peer`, `name`, `detail`: the text).
        public static let groupMention = Kind(rawValue: "group.mention")
        /// A friend recalled one of its messages (`peer`, `name`, `detail`: the message ID).
        public static let dmRecalled = Kind(rawValue: "dm.recalled")
        /// A friend is typing to this node, or stopped (`peer`, `name`, `detail`: `typing` or
        /// `stopped`); never stored.
        public static let dmTyping = Kind(rawValue: "dm.typing")
        public static let dmStatus = Kind(rawValue: "dm.status")
        public static let dmUnreadable = Kind(rawValue: "dm.unreadable")

        // MARK: Groups and the feed
        public static let groupInvited = Kind(rawValue: "group.invited")
        public static let groupRemoved = Kind(rawValue: "group.removed")
        public static let groupChanged = Kind(rawValue: "group.changed")
        public static let groupPost = Kind(rawValue: "group.post")
        /// A member recalled one of its posts (`group`, `peer`, `name`, `detail`: the post ID).
        public static let groupRecalled = Kind(rawValue: "group.recalled")
        public static let momentsPost = Kind(rawValue: "moments.post")
        /// A friend liked, unliked or commented on a moment (`peer`, `name`; Protocol.md §10.8).
        public static let momentsReaction = Kind(rawValue: "moments.reaction")
        public static let discoverPost = Kind(rawValue: "discover.post")

        /// An attachment this node learnt of (detail: its state).
        public static let attachmentFound = Kind(rawValue: "attachment.found")
        /// A fetch moved on (bytes, total; at most twice a second per attachment).
        public static let attachmentProgress = Kind(rawValue: "attachment.progress")
        /// Every chunk is here, verified and durable.
        public static let attachmentComplete = Kind(rawValue: "attachment.complete")
        /// A fetch cannot go on for now (detail: why — no holder, a quota, a full disk).
        public static let attachmentStalled = Kind(rawValue: "attachment.stalled")
        /// The user cancelled a fetch (bytes: what is kept for a later fetch, total).
        public static let attachmentCancelled = Kind(rawValue: "attachment.cancelled")
        /// A holder sent a chunk that does not verify (peer: the holder).
        public static let attachmentBadChunk = Kind(rawValue: "attachment.bad-chunk")
    }

    /// Why a node left the radar: the detail of a `radar.gone` event.
    public enum GoneReason: String, Codable, Sendable, CustomStringConvertible {
        public var description: String { rawValue }

        /// Its advertisement was withdrawn.
        case left
        /// It stopped answering liveness probes.
        case unreachable
    }
}
