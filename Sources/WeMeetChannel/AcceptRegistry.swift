import NIOCore
import Synchronization

/// Accepted connections whose async wrapper exists but has not been handed to the accept
/// loop yet. When the listener stops, the leftovers are finished properly, and no new
/// wrapper is created after that (NIO traps when an `NIOAsyncChannel` is dropped unfinished).
package final class AcceptRegistry: Sendable {
    package typealias Wrapped = NIOAsyncChannel<ByteBuffer, ChannelOutbound>

    private struct State {
        var stopping = false
        var pending: [ObjectIdentifier: Wrapped] = [:]
    }

    private let state = Mutex(State())

    /// Runs `make` and records its wrapper, unless the listener is stopping (then nil).
    package func register(
        _ channel: any Channel, _ make: () throws -> (Wrapped, EventLoopFuture<PeerInfo>)
    ) throws -> (Wrapped, EventLoopFuture<PeerInfo>)? {
        try state.withLock { state in
            guard !state.stopping else { return nil }
            let made = try make()
            state.pending[ObjectIdentifier(channel)] = made.0
            return made
        }
    }

    /// The accept loop took `channel`; false if the listener stopped meanwhile (the wrapper
    /// is then finished by ``stop()``'s caller).
    package func consume(_ channel: any Channel) -> Bool {
        state.withLock { $0.pending.removeValue(forKey: ObjectIdentifier(channel)) != nil }
    }

    /// Stops registering; returns the wrappers nobody took.
    package func stop() -> [Wrapped] {
        state.withLock { state in
            state.stopping = true
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
    }
}
