import Foundation
import WeMeetCrypto

/// Something that happened in the node, for the control API's event stream
/// (`GET /v1/events`, API.md) and for tests that await a state instead of sleeping.
public struct NodeEvent: Codable, Sendable, Equatable {
    /// `peer.connected`, `peer.disconnected`, `peer.dial-state` (detail: connecting, connected,
    /// waiting), `peer.dial-failed`, `peer.duplicate-refused`,
    /// `node.listening`, `node.stopping` (later: radar, pairing, message and sync events).
    public var type: Kind
    /// When it happened.
    public var time: Date
    /// The peer's node ID, when the event concerns one.
    public var peer: NodeID?
    /// An address involved (dialled, connected from).
    public var address: String?
    /// A readable detail (a reason, a direction).
    public var detail: String?
    /// The peer's display name, when the event concerns one (pairing).
    public var name: String?
    /// A pairing code, six digits.
    public var code: String?
    /// The group ID, for group events.
    public var group: String?
    /// The attachment (blob) ID, for attachment events.
    public var attachment: String?
    /// Bytes so far and in all, for progress events.
    public var bytes: UInt64?
    public var total: UInt64?

    public init(
        type: Kind, peer: NodeID? = nil, address: String? = nil, detail: String? = nil, name: String? = nil,
        code: String? = nil, group: String? = nil, attachment: String? = nil, bytes: UInt64? = nil,
        total: UInt64? = nil
    ) {
        self.type = type
        self.time = Date()
        self.peer = peer
        self.address = address
        self.detail = detail
        self.name = name
        self.code = code
        self.group = group
        self.attachment = attachment
        self.bytes = bytes
        self.total = total
    }
}
