import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// What an entry from a peer is to this node, for its storage quotas (Protocol.md §8.4).
package enum StorageClass: Sendable, Equatable {
    /// Something this node can use: it counts against the author's quotas and the totals.
    case ordinary
    /// A direct message that does not decrypt for this node: capped tightly.
    case unreadable
    /// A feed of a group this node is not in (shown in discover at most): capped tightly.
    case outsider
    /// Mail between two friends this node holds for them (§8.5): kept in the relay hold,
    /// under its limits, never in the store.
    case relayed
}
