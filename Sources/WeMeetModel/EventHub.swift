import Synchronization

/// Fans node events out to every subscriber. A slow subscriber loses its oldest events
/// (each keeps the newest 1024), so it can never make the node buffer without bound.
public final class EventHub: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<NodeEvent>.Continuation] = [:]
        var next = 0
        var finished = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Publishes `event` to current subscribers.
    public func publish(_ event: NodeEvent) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    /// A stream of events from now on; it ends when the caller stops iterating.
    public func subscribe() -> AsyncStream<NodeEvent> {
        let (stream, continuation) = AsyncStream<NodeEvent>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            defer { state.next += 1 }
            state.subscribers[state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Ends every subscription (at shutdown).
    public func finish() {
        let subscribers = state.withLock { state in
            defer {
                state.subscribers = [:]
                state.finished = true
            }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
