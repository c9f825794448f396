import Foundation
import WeMeetCrypto

/// A snapshot of the node for `wemeet status` and `GET /v1/status` (API.md).
public struct NodeStatus: Codable, Sendable {
    /// One authenticated connection.
    public struct Peer: Codable, Sendable, Equatable {
        public var nodeID: NodeID
        public var name: String
        public var address: String
        /// Who dialled.
        public enum Direction: String, Codable, Sendable, CustomStringConvertible {
            /// The peer dialled this node.
            case inbound
            /// This node dialled the peer.
            case outbound

            public var description: String { rawValue }
        }

        public var direction: Direction
        public var since: Date
        /// Hex of the first 8 bytes of the session's handshake hash (both ends show the same).
        public var session: String

        package init(nodeID: NodeID, name: String, address: String, direction: Direction, since: Date, session: String)
        {
            self.nodeID = nodeID
            self.name = name
            self.address = address
            self.direction = direction
            self.since = since
            self.session = session
        }
    }

    /// Sync with one connected friend (Protocol.md §8).
    public struct SyncPeer: Codable, Sendable, Equatable {
        public var nodeID: NodeID
        public var name: String
        /// Feeds the peer asked this node for (pushed live).
        public var feedsSent: Int
        /// Feeds this node asked the peer for.
        public var feedsReceived: Int
        public var entriesSent: Int
        public var entriesReceived: Int
        /// Entries the peer has offered that are not here yet (a catch-up in progress).
        public var remaining: Int

        package init(
            nodeID: NodeID, name: String, feedsSent: Int, feedsReceived: Int, entriesSent: Int, entriesReceived: Int,
            remaining: Int
        ) {
            self.nodeID = nodeID
            self.name = name
            self.feedsSent = feedsSent
            self.feedsReceived = feedsReceived
            self.entriesSent = entriesSent
            self.entriesReceived = entriesReceived
            self.remaining = remaining
        }
    }

    /// One static peer (`--peer`) and what the node is doing about it.
    public struct Dial: Codable, Sendable, Equatable {
        public var address: String
        /// What the node is doing about a static peer.
        public enum State: String, Codable, Sendable, CustomStringConvertible {
            /// Dialling.
            case connecting
            /// A channel is open.
            case connected
            /// Backing off before the next attempt.
            case waiting

            public var description: String { rawValue }
        }

        public var state: State
        public var nodeID: NodeID?
        public var attempts: Int
        public var nextAttempt: Date?
        public var lastError: String?

        package init(
            address: String, state: State, nodeID: NodeID? = nil, attempts: Int, nextAttempt: Date? = nil,
            lastError: String? = nil
        ) {
            self.address = address
            self.state = state
            self.nodeID = nodeID
            self.attempts = attempts
            self.nextAttempt = nextAttempt
            self.lastError = lastError
        }
    }

    public var nodeID: NodeID
    public var name: String
    public var version: String
    public var protocolVersion: Int
    public var listen: String
    /// Local discovery: `active`, `unavailable` (no mDNS daemon; retrying) or `disabled`.
    public var discovery: RadarSnapshot.Discovery
    /// Why discovery is unavailable, when it is.
    public var discoveryDetail: String?
    /// The service instance name this node is advertised under.
    public var advertisedAs: String?
    /// How many nodes the radar lists.
    public var nearby: Int
    public var entries: Int
    /// Incoming connections still in their handshake.
    public var handshakesInProgress: Int
    public var peers: [Peer]
    public var dialing: [Dial]
    /// Sync with connected friends.
    public var sync: [SyncPeer] = []
    /// Bytes of application messages written to channels since the node started, counted as
    /// on the wire (framed and sealed, Protocol.md §4.5; handshakes and keepalives excluded).
    public var bytesSent: Int = 0
    /// What other nodes make this node store, against its quotas (Protocol.md §8.4).
    public var storage: Storage?
    /// The web app's address (`wemeet open` logs a browser in); absent with `--no-web`.
    public var web: String? = nil
    /// Mail this node holds between its friends (Protocol.md §8.5); absent when it does not relay.
    public var relay: Relay? = nil

    /// What the relay holds for friends, against its limits.
    public struct Relay: Codable, Sendable, Equatable {
        /// Feeds held (one per author and reader).
        public var feeds: Int
        /// Bytes of entries held.
        public var bytes: UInt64
        /// Bytes of one author's mail held at most.
        public var authorLimit: UInt64
        /// Bytes held at most.
        public var totalLimit: UInt64
        /// How long mail is kept after its last deposit.
        public var holdSeconds: UInt64
        /// What is held, one conversation direction each: whose mail for whom, which seqs.
        public var held: [Held]

        /// Mail of one author for one reader.
        public struct Held: Codable, Sendable, Equatable {
            public var author: NodeID
            public var reader: NodeID
            public var first: UInt64
            public var head: UInt64
            public var bytes: UInt64

            package init(author: NodeID, reader: NodeID, first: UInt64, head: UInt64, bytes: UInt64) {
                self.author = author
                self.reader = reader
                self.first = first
                self.head = head
                self.bytes = bytes
            }
        }

        package init(
            feeds: Int, bytes: UInt64, authorLimit: UInt64, totalLimit: UInt64, holdSeconds: UInt64, held: [Held] = []
        ) {
            self.held = held
            self.feeds = feeds
            self.bytes = bytes
            self.authorLimit = authorLimit
            self.totalLimit = totalLimit
            self.holdSeconds = holdSeconds
        }
    }

    /// Storage used by other nodes' entries, the quotas, and who reached one.
    public struct Storage: Codable, Sendable, Equatable {
        /// Bytes of other nodes' entries held.
        public var bytes: UInt64
        /// Other nodes' feeds held.
        public var feeds: Int
        public var limits: QuotaLimits
        /// Authors refused for a quota since the node started.
        public var refusals: [QuotaRefusal]

        package init(bytes: UInt64, feeds: Int, limits: QuotaLimits, refusals: [QuotaRefusal]) {
            self.bytes = bytes
            self.feeds = feeds
            self.limits = limits
            self.refusals = refusals
        }
    }

    package init(
        nodeID: NodeID, name: String, version: String, protocolVersion: Int, listen: String,
        discovery: RadarSnapshot.Discovery, discoveryDetail: String? = nil, advertisedAs: String? = nil, nearby: Int,
        entries: Int, handshakesInProgress: Int, peers: [Peer], dialing: [Dial], sync: [SyncPeer] = [],
        bytesSent: Int = 0, storage: Storage? = nil, relay: Relay? = nil
    ) {
        self.nodeID = nodeID
        self.name = name
        self.version = version
        self.protocolVersion = protocolVersion
        self.listen = listen
        self.discovery = discovery
        self.discoveryDetail = discoveryDetail
        self.advertisedAs = advertisedAs
        self.nearby = nearby
        self.entries = entries
        self.handshakesInProgress = handshakesInProgress
        self.peers = peers
        self.dialing = dialing
        self.sync = sync
        self.bytesSent = bytesSent
        self.storage = storage
        self.relay = relay
    }
}
