import Foundation
import WeMeetCrypto

/// One nearby node as `wemeet radar` and `GET /v1/radar` show it (API.md).
public struct RadarEntry: Codable, Sendable, Equatable {
    /// The node's ID, from its TXT record (the only thing an entry is keyed by).
    public var nodeID: NodeID
    /// Its display name (from its service instance name; a label, not an identity).
    public var name: String
    /// The service instance names it is advertised under (usually one).
    public var instances: [String]
    /// Addresses to reach it, IPv4 first.
    public var addresses: [String]
    /// Its listen port.
    public var port: Int
    /// Whether it is one of our friends.
    public var friend: Bool
    /// Whether a channel to it is open now.
    public var connected: Bool
    /// When it was last announced, connected or answered a liveness probe.
    public var lastSeen: Date
    /// Other advertised attributes (for example the pairing flag).
    public var attributes: [String: String]

    package init(
        nodeID: NodeID, name: String, instances: [String], addresses: [String], port: Int, friend: Bool,
        connected: Bool, lastSeen: Date, attributes: [String: String]
    ) {
        self.nodeID = nodeID
        self.name = name
        self.instances = instances
        self.addresses = addresses
        self.port = port
        self.friend = friend
        self.connected = connected
        self.lastSeen = lastSeen
        self.attributes = attributes
    }
}

/// The radar's state as a whole (`GET /v1/radar`).
public struct RadarSnapshot: Codable, Sendable, Equatable {
    /// The state of local discovery.
    public enum Discovery: String, Codable, Sendable, CustomStringConvertible {
        /// Advertising and browsing through the mDNS daemon.
        case active
        /// No mDNS daemon (retrying).
        case unavailable
        /// Off (`--no-mdns`).
        case disabled

        public var description: String { rawValue }
    }

    public var discovery: Discovery
    /// Why discovery is unavailable, when it is.
    public var detail: String?
    /// The instance name this node is advertised under (the daemon may have renamed it).
    public var advertisedAs: String?
    /// Nodes nearby now, by name.
    public var nearby: [RadarEntry]

    package init(discovery: Discovery, detail: String? = nil, advertisedAs: String? = nil, nearby: [RadarEntry]) {
        self.discovery = discovery
        self.detail = detail
        self.advertisedAs = advertisedAs
        self.nearby = nearby
    }
}
