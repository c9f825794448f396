import Foundation
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Storage quotas (Protocol.md §8.4): how many bytes and feeds other nodes make this node
/// keep, per author and in total, with tight caps for what this node cannot use. Sync asks it
/// before each entry is stored; an entry past a quota is refused (REJECT reason 4) and never
/// stored, and nothing already stored or acknowledged is ever dropped.
///
/// Usage is rebuilt at start-up from the store's index (bytes per feed). The caps for
/// undecryptable direct messages count what arrived since start-up (finding out which stored
/// entries do not decrypt would mean decrypting them all); every byte still counts against
/// the author's quota, so a restart does not lift the overall bound.
package actor Quotas {
    fileprivate struct Usage {
        var bytes: UInt64 = 0
        var feeds: Set<FeedID> = []
        var unreadableBytes: UInt64 = 0
        var outsiderBytes: UInt64 = 0
        var outsiderFeeds: Set<FeedID> = []
    }

    fileprivate let own: NodeID
    package private(set) var limits: QuotaLimits
    fileprivate var usage: [NodeID: Usage] = [:]
    fileprivate var totalBytes: UInt64 = 0
    private var totalFeeds = 0
    private var refusals: [NodeID: [QuotaLimits.Name: QuotaRefusal]] = [:]

    package init(own: NodeID, limits: QuotaLimits) {
        self.own = own
        self.limits = limits
    }

    /// Counts what the store holds: `feeds` with their bytes; `outsider` tells which belong to
    /// groups this node is not in.
    package func load(_ feeds: [(feed: Feed, bytes: UInt64)], outsider: (Feed) async -> Bool) async {
        for (feed, bytes) in feeds {
            let author = NodeID(publicKey: feed.author)
            guard author != own else { continue }
            var entry = usage[author, default: Usage()]
            entry.bytes += bytes
            entry.feeds.insert(feed.id)
            if await outsider(feed) {
                entry.outsiderBytes += bytes
                entry.outsiderFeeds.insert(feed.id)
            }
            usage[author] = entry
            totalBytes += bytes
            totalFeeds += 1
        }
    }

    /// New limits (a settings change); they apply to the next entry.
    package func update(_ limits: QuotaLimits) { self.limits = limits }

    /// Decides each entry of a batch in order and reserves what it admits: nil to store it,
    /// or the name of the quota it would break. Call ``release(_:)`` for admitted entries the
    /// store then did not keep.
    package func admit(_ batch: [(entry: Entry, bytes: Int, storage: StorageClass)]) -> [QuotaLimits.Name?] {
        batch.map { admit($0.entry, bytes: UInt64($0.bytes), storage: $0.storage) }
    }

    private func admit(_ entry: Entry, bytes: UInt64, storage: StorageClass) -> QuotaLimits.Name? {
        let author = NodeID(publicKey: entry.feed.author)
        guard author != own else { return nil }
        var current = usage[author, default: Usage()]
        let newFeed = !current.feeds.contains(entry.feedID)
        let refused: QuotaLimits.Name? =
            if newFeed && current.feeds.count >= limits.authorFeeds {
                .authorFeeds
            } else if newFeed && totalFeeds >= limits.totalFeeds {
                .totalFeeds
            } else if current.bytes + bytes > limits.authorBytes {
                .authorBytes
            } else if totalBytes + bytes > limits.totalBytes {
                .totalBytes
            } else if storage == .unreadable && current.unreadableBytes + bytes > limits.unreadableBytes {
                .unreadableBytes
            } else if storage == .outsider && !current.outsiderFeeds.contains(entry.feedID)
                && current.outsiderFeeds.count >= limits.outsiderFeeds
            {
                .outsiderFeeds
            } else if storage == .outsider && current.outsiderBytes + bytes > limits.outsiderBytes {
                .outsiderBytes
            } else {
                nil
            }
        if let refused { return refused }
        current.bytes += bytes
        if newFeed {
            current.feeds.insert(entry.feedID)
            totalFeeds += 1
        }
        switch storage {
        case .ordinary, .relayed: break
        case .unreadable: current.unreadableBytes += bytes
        case .outsider:
            current.outsiderBytes += bytes
            current.outsiderFeeds.insert(entry.feedID)
        }
        usage[author] = current
        totalBytes += bytes
        return nil
    }

    /// Gives back the bytes reserved for admitted entries the store did not keep (invalid,
    /// or already held).
    package func release(_ batch: [(entry: Entry, bytes: Int, storage: StorageClass)]) {
        for (entry, bytes, storage) in batch {
            let author = NodeID(publicKey: entry.feed.author)
            guard author != own, var current = usage[author] else { continue }
            let bytes = UInt64(bytes)
            current.bytes -= min(bytes, current.bytes)
            switch storage {
            case .ordinary, .relayed: break
            case .unreadable: current.unreadableBytes -= min(bytes, current.unreadableBytes)
            case .outsider: current.outsiderBytes -= min(bytes, current.outsiderBytes)
            }
            usage[author] = current
            totalBytes -= min(bytes, totalBytes)
        }
    }

    /// Notes a refusal; returns true the first time `author` reached `quota` in this run (the
    /// user is told once).
    package func refused(_ author: NodeID, quota: QuotaLimits.Name) -> Bool {
        if var known = refusals[author]?[quota] {
            known.refused += 1
            refusals[author]?[quota] = known
            return false
        }
        refusals[author, default: [:]][quota] = QuotaRefusal(
            nodeID: author, quota: quota.rawValue, limit: limits[quota], refused: 1, since: Date())
        return true
    }

    /// What `wemeet status` shows.
    package func status() -> NodeStatus.Storage {
        NodeStatus.Storage(
            bytes: totalBytes, feeds: totalFeeds, limits: limits,
            refusals: refusals.values.flatMap(\.values).sorted { ($0.since, $0.nodeID) < ($1.since, $1.nodeID) })
    }
}

extension Quotas {
    /// Reserves a blob of `bytes` written about by `author` (Protocol.md §13.5: blobs count
    /// against the author's bytes and the total, like entries): nil when admitted, else the
    /// quota it would break. The node's own blobs never count.
    package func admitBlob(author: NodeID, bytes: UInt64) -> QuotaLimits.Name? {
        guard author != own else { return nil }
        let current = usage[author, default: Usage()]
        if current.bytes + bytes > limits.authorBytes { return .authorBytes }
        if totalBytes + bytes > limits.totalBytes { return .totalBytes }
        usage[author, default: Usage()].bytes += bytes
        totalBytes += bytes
        return nil
    }

    /// Gives back what ``admitBlob(author:bytes:)`` counted, for a blob dropped.
    package func releaseBlob(author: NodeID, bytes: UInt64) {
        guard author != own else { return }
        usage[author, default: Usage()].bytes -= min(bytes, usage[author]?.bytes ?? 0)
        totalBytes -= min(bytes, totalBytes)
    }
}
