import Foundation
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Who holds this node's mail for its readers, and who brought mail to this node (Protocol.md
/// §8.5), as sync sees it, for the messages' status: "held by Carol for Bob" once Carol
/// acknowledged the entries durable, "via Carol" on what Carol gave, and "delivered via
/// Carol" on our message whose delivered-receipt Carol brought. Kept in the home (`path`,
/// mode 0600), so a restart shows the same; bounded per feed.
package actor RelayedMail {
    /// Own direct feeds: each relay and the last seq it acknowledged holding.
    private var held: [FeedID: [NodeID: UInt64]] = [:]
    /// Direct feeds for this node: who brought which seqs (not their author). Own direct
    /// feeds: who brought the receipts that said these seqs were delivered.
    private var brought: [FeedID: [(seqs: ClosedRange<UInt64>, relay: NodeID)]] = [:]
    /// Runs of seqs kept per feed; older ones are forgotten.
    private static let runs = 256
    private let path: String?

    /// What is kept in the file: hex feed IDs to relays' IDs and seqs.
    private struct Saved: Codable {
        var held: [String: [String: UInt64]]
        var brought: [String: [Run]]
    }

    private struct Run: Codable {
        var first: UInt64
        var last: UInt64
        var relay: String
    }

    /// Reads what `path` kept (nil: this run only).
    package init(path: String? = nil) {
        self.path = path
        guard let path, let data = FileManager.default.contents(atPath: path),
            let saved = try? JSONDecoder().decode(Saved.self, from: data)
        else { return }
        for (feed, relays) in saved.held {
            guard let id = try? FeedID(hex: feed) else { continue }
            for (relay, seq) in relays { if let node = try? NodeID(relay) { held[id, default: [:]][node] = seq } }
        }
        for (feed, runs) in saved.brought {
            guard let id = try? FeedID(hex: feed) else { continue }
            brought[id] = runs.compactMap { run in
                guard run.first <= run.last, let node = try? NodeID(run.relay) else { return nil }
                return (run.first...run.last, node)
            }
        }
    }

    /// `relay` acknowledged holding `feed` up to `seq`.
    package func held(_ feed: FeedID, by relay: NodeID, upTo seq: UInt64) {
        guard seq > held[feed]?[relay] ?? 0 else { return }
        held[feed, default: [:]][relay] = seq
        save()
    }

    /// The relays that hold entry `seq` of `feed`.
    package func holders(of feed: FeedID, seq: UInt64) -> [NodeID] {
        (held[feed] ?? [:]).filter { $0.value >= seq }.keys.sorted()
    }

    /// `relay` gave this node `seqs` of `feed` (or, for an own feed, the receipt saying
    /// they were delivered).
    package func brought(_ feed: FeedID, seqs: ClosedRange<UInt64>, by relay: NodeID) {
        var list = brought[feed] ?? []
        if let last = list.last, last.relay == relay, last.seqs.upperBound + 1 >= seqs.lowerBound {
            list[list.count - 1].seqs =
                min(last.seqs.lowerBound, seqs.lowerBound)...max(last.seqs.upperBound, seqs.upperBound)
        } else {
            list.append((seqs, relay))
        }
        brought[feed] = Array(list.suffix(Self.runs))
        save()
    }

    /// Who brought entry `seq` of `feed`, when a relay did.
    package func bringer(of feed: FeedID, seq: UInt64) -> NodeID? {
        brought[feed]?.last { $0.seqs.contains(seq) }?.relay
    }

    private func save() {
        guard let path else { return }
        let saved = Saved(
            held: Dictionary(
                uniqueKeysWithValues: held.map { feed, relays in
                    (feed.description, Dictionary(uniqueKeysWithValues: relays.map { ($0.key.description, $0.value) }))
                }),
            brought: Dictionary(
                uniqueKeysWithValues: brought.map { feed, runs in
                    (
                        feed.description,
                        runs.map {
                            Run(first: $0.seqs.lowerBound, last: $0.seqs.upperBound, relay: $0.relay.description)
                        }
                    )
                }))
        guard let data = try? JSONEncoder().encode(saved) else { return }
        let url = URL(fileURLWithPath: path)
        try? data.write(to: url, options: .atomic)
        chmod(path, 0o600)
    }
}
