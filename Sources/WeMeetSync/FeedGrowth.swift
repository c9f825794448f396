import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// This node's own appends, announced: the features (messages, groups, moments) publish each
/// feed they grew with its new head, and ``Sync`` subscribes, pushing and offering them to
/// peers. Data flows one way: the features never hold ``Sync``.
package final class FeedGrowth: Sendable {
    /// Feeds that grew in one append, each with its new head.
    package typealias Batch = [(feed: Feed, head: UInt64)]

    /// What was appended, in order. One subscriber (sync); it ends with ``finish()``.
    package let appended: AsyncStream<Batch>
    private let continuation: AsyncStream<Batch>.Continuation

    package init() {
        (appended, continuation) = AsyncStream<Batch>.makeStream()
    }

    /// Announces that `feed` grew to `head`.
    package func grew(_ feed: Feed, to head: UInt64) {
        continuation.yield([(feed, head)])
    }

    /// No more appends (the node is stopping).
    package func finish() { continuation.finish() }
}
