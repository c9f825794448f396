import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// A feature that reads what sync stored from a peer (direct messages, groups). ``Sync`` is
/// given its consumers when it is made and calls each in order, awaiting it, before it
/// acknowledges the batch and reads the next one: the next batch's policy (a group's
/// membership) depends on what the consumers made of this one.
package protocol IngestConsumer: Sendable {
    /// Entries from `peer`, stored and new here, in the order they arrived.
    func ingested(_ entries: [Entry], from peer: PeerInfo) async
}
