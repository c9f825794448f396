import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Who may be given which feeds, and whose feeds this node keeps (Protocol.md §8.1).
/// Sync asks it before every offer, request and ingest, so a change (an unpairing) applies
/// to the next entry.
package protocol SyncPolicy: Sendable {
    /// Whether sync runs with `peer` at all.
    func syncs(with peer: NodeID) async -> Bool
    /// Whether `feed` may be given to `peer`.
    func mayServe(_ feed: Feed, to peer: NodeID) async -> Bool
    /// Whether `peer` may fetch the attachments that entries of `feed` reference (§13.3):
    /// only what it can read, so by default the attachments of every feed it is served.
    func mayServeAttachments(of feed: Feed, to peer: NodeID) async -> Bool
    /// Whether entries of `feed` coming from `peer` are kept.
    func mayAccept(_ feed: Feed, from peer: NodeID) async -> Bool
    /// What an accepted entry is to this node, for its storage quotas (§8.4).
    func storageClass(of entry: Entry) async -> StorageClass
    /// Where serving `feed` to `peer`, who asked from `have`, starts: later for a relay
    /// asking for this node's mail (only what the reader has not acknowledged, §8.5).
    func serveFrom(_ feed: Feed, to peer: NodeID, have: UInt64) async -> UInt64
}

extension SyncPolicy {
    package func mayServeAttachments(of feed: Feed, to peer: NodeID) async -> Bool {
        await mayServe(feed, to: peer)
    }

    package func storageClass(of entry: Entry) async -> StorageClass { .ordinary }

    package func serveFrom(_ feed: Feed, to peer: NodeID, have: UInt64) async -> UInt64 { have }
}
