import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Changes to who may sync what, announced by the features that make them (pairing adds a
/// friend, a group's membership changes) for the node to act on: sync re-examines its
/// sessions, and fellow members nearby are dialled. Data flows one way: pairing and groups
/// never hold ``Sync``.
package final class PolicyChanges: Sendable {
    /// One change.
    package enum Change: Sendable, Equatable {
        /// Pairing made a friend: sync starts on the channel that is already open.
        case friendAdded(NodeID)
        /// A group's membership (or who invited this node) changed.
        case membership
    }

    /// The changes, in order. One subscriber (the node); it ends with ``finish()``.
    package let changes: AsyncStream<Change>
    private let continuation: AsyncStream<Change>.Continuation

    package init() {
        (changes, continuation) = AsyncStream<Change>.makeStream()
    }

    package func publish(_ change: Change) { continuation.yield(change) }

    /// No more changes (the node is stopping).
    package func finish() { continuation.finish() }
}
