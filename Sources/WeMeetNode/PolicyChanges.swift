import WeMeetCrypto

/// Changes to who may sync what, announced by the features that make them (pairing adds a
/// friend, a group's membership changes) for the node to act on: sync re-examines its
/// sessions, and fellow members nearby are dialled. Data flows one way: pairing and groups
/// never hold ``Sync``.
final class PolicyChanges: Sendable {
    /// One change.
    enum Change: Sendable, Equatable {
        /// Pairing made a friend: sync starts on the channel that is already open.
        case friendAdded(NodeID)
        /// A group's membership (or who invited this node) changed.
        case membership
    }

    /// The changes, in order. One subscriber (the node); it ends with ``finish()``.
    let changes: AsyncStream<Change>
    private let continuation: AsyncStream<Change>.Continuation

    init() {
        (changes, continuation) = AsyncStream<Change>.makeStream()
    }

    func publish(_ change: Change) { continuation.yield(change) }

    /// No more changes (the node is stopping).
    func finish() { continuation.finish() }
}
