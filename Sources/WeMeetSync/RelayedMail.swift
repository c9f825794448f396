import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Who holds this node's mail for its readers, and who brought mail to this node (Protocol.md
/// §8.5), as sync sees it, for the messages' status: "held by Carol for Bob" once Carol
/// acknowledged the entries durable, "via Carol" on what Carol gave. Kept for this run only:
/// after a restart a message shows its status without them.
package actor RelayedMail {
    /// Own direct feeds: each relay and the last seq it acknowledged holding.
    private var held: [FeedID: [NodeID: UInt64]] = [:]
    /// Direct feeds for this node: who brought which seqs (not their author).
    private var brought: [FeedID: [(seqs: ClosedRange<UInt64>, relay: NodeID)]] = [:]
    /// Runs of seqs kept per feed; older ones are forgotten.
    private static let runs = 256

    package init() {}

    /// `relay` acknowledged holding `feed` up to `seq`.
    package func held(_ feed: FeedID, by relay: NodeID, upTo seq: UInt64) {
        held[feed, default: [:]][relay] = max(held[feed]?[relay] ?? 0, seq)
    }

    /// The relays that hold entry `seq` of `feed`.
    package func holders(of feed: FeedID, seq: UInt64) -> [NodeID] {
        (held[feed] ?? [:]).filter { $0.value >= seq }.keys.sorted()
    }

    /// `relay` gave this node `seqs` of `feed`.
    package func brought(_ feed: FeedID, seqs: ClosedRange<UInt64>, by relay: NodeID) {
        var list = brought[feed] ?? []
        if let last = list.last, last.relay == relay, last.seqs.upperBound + 1 >= seqs.lowerBound {
            list[list.count - 1].seqs =
                min(last.seqs.lowerBound, seqs.lowerBound)...max(last.seqs.upperBound, seqs.upperBound)
        } else {
            list.append((seqs, relay))
        }
        brought[feed] = Array(list.suffix(Self.runs))
    }

    /// Who brought entry `seq` of `feed`, when a relay did.
    package func bringer(of feed: FeedID, seq: UInt64) -> NodeID? {
        brought[feed]?.last { $0.seqs.contains(seq) }?.relay
    }
}
