import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

extension Node {
    /// The storage quotas in force (Protocol.md §8.4).
    public func quotas() async throws(NodeError) -> QuotaLimits {
        await (try running()).quotas.limits
    }

    /// Records new storage quotas; they apply to the next entry a peer sends. Lowering one
    /// below what is stored drops nothing: the node only refuses more.
    public func setQuotas(_ limits: QuotaLimits) async throws(NodeError) -> QuotaLimits {
        let running = try running()
        try await running.settings.change { $0.quotas = limits }
        await running.quotas.update(limits)
        return limits
    }
}

extension Node {
    /// Re-verifies every entry of the running node's store (checksums, signatures, chains).
    public func verifyStore() async throws(NodeError) -> StoreVerification {
        try await Self.verify(try running().store)
    }

    /// The store's feeds.
    public func storeFeeds() async throws(NodeError) -> [StoreFeedRow] {
        await Self.feeds(of: try running().store)
    }

    /// The store's forks.
    public func storeForks() async throws(NodeError) -> [StoreForkRow] {
        await Self.forks(of: try running().store)
    }

    /// The entries of feed `id` in their wire encoding (§7.1), a chunk at a time, for
    /// `wemeet export` while the node runs.
    public func exportFeed(_ id: FeedID) async throws(NodeError) -> AsyncThrowingStream<[UInt8], any Error> {
        let store = try running().store
        guard await store.feed(id) != nil else {
            throw NodeError(code: .notFound, message: "no feed \(id) in this store (see `wemeet store feeds`)")
        }
        return Self.export(id, from: store)
    }

    /// `verify` over a store, whoever opened it (the CLI opens it itself when no node runs).
    public static func verify(_ store: Store) async throws(NodeError) -> StoreVerification {
        let counts: (entries: Int, feeds: Int)
        do { counts = try await store.verify() } catch {
            throw NodeError(code: .io, message: "verification failed: \(error)")
        }
        return StoreVerification(
            entries: counts.entries, feeds: counts.feeds, forks: await store.allForks().count,
            recovery: store.recoveryNote)
    }

    public static func feeds(of store: Store) async -> [StoreFeedRow] {
        await store.allFeeds().map {
            StoreFeedRow(
                feed: $0.id.description, author: NodeID(publicKey: $0.feed.author),
                kind: $0.feed.kind.description, head: $0.head, frozen: $0.frozen)
        }
    }

    public static func forks(of store: Store) async -> [StoreForkRow] {
        await store.allForks().map {
            StoreForkRow(
                feed: $0.feed.description, author: NodeID(publicKey: $0.rejected.feed.author),
                seq: $0.seq, kept: $0.kept.description, rejected: $0.rejected.id.description)
        }
    }

    /// A feed's entries, 1,000 at a time, each chunk their encodings back to back.
    public static func export(_ id: FeedID, from store: Store) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var next: UInt64 = 1
                do {
                    while !Task.isCancelled {
                        let batch = try await store.entries(of: id, seqs: next...(next + 999))
                        if batch.isEmpty { break }
                        continuation.yield(batch.flatMap(\.encoded))
                        next += UInt64(batch.count)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
