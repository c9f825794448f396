import Foundation
import WeMeetCrypto

/// An author whose entries this node refused because a storage quota was reached
/// (`GET /v1/status`, `storage.refusals`; Protocol.md §8.4).
public struct QuotaRefusal: Codable, Sendable, Equatable {
    /// The author's node ID.
    public var nodeID: NodeID
    /// The quota reached: one of ``QuotaLimits/names``.
    public var quota: String
    /// The limit in force (bytes or feeds).
    public var limit: UInt64
    /// Entries refused for it since the node started.
    public var refused: Int
    /// When it was first reached in this run.
    public var since: Date

    package init(nodeID: NodeID, quota: String, limit: UInt64, refused: Int, since: Date) {
        self.nodeID = nodeID
        self.quota = quota
        self.limit = limit
        self.refused = refused
        self.since = since
    }
}
