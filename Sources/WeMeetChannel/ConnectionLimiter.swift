import NIOCore
import Synchronization

/// Counts connections and unauthenticated handshakes, so a flood of connections cannot push
/// a node past its documented limits (``ChannelConfiguration``, Protocol.md §4.6).
///
/// Handshake slots: at most ``ChannelConfiguration/maximumHandshakesPerAddress`` from one
/// address — a new one past that is refused — and at most
/// ``ChannelConfiguration/maximumPendingHandshakes`` in all. When all are taken, the
/// **oldest** pending handshake is closed to make room, if it has been pending
/// ``evictableAge`` or more: an honest handshake completes in milliseconds, so the
/// handshakes that hold slots longest are the silent ones, and a friend's new connection
/// gets in however many addresses a stranger floods from. (Younger ones are kept, so that a
/// flood cannot churn slots, and the node's CPU, at line rate.)
package final class ConnectionLimiter: Sendable {
    /// A handshake that holds a slot.
    private struct Pending {
        var address: String
        var channel: any Channel
        var since: NIODeadline
    }

    /// How long a handshake must have been pending before it can be closed for a newer one.
    package static let evictableAge = TimeAmount.seconds(1)

    private struct State {
        var connections = 0
        var pendingByAddress: [String: Int] = [:]
        /// Pending handshakes by admission number (oldest first when sorted).
        var pending: [Int: Pending] = [:]
        var nextToken = 0
        var evicted = 0
    }

    private let state = Mutex(State())
    private let configuration: ChannelConfiguration

    package init(configuration: ChannelConfiguration) {
        self.configuration = configuration
    }

    /// What ``admit(address:channel:)`` decided.
    package enum Admission {
        /// Admitted: pass the token to ``handshakeEnded(_:)`` when its handshake ends.
        case admitted(token: Int)
        case refused(SecureChannelError)
    }

    /// Admits a new connection from `address` at `now`, evicting the oldest pending handshake
    /// when all slots are taken, or says why not.
    package func admit(address: String, channel: any Channel, now: NIODeadline = .now()) -> Admission {
        let (admission, victim) = state.withLock { state -> (Admission, (any Channel)?) in
            if state.connections >= configuration.maximumConnections {
                return (
                    .refused(
                        SecureChannelError(
                            code: .connectionLimit,
                            message: "refused \(address): \(state.connections) connections already open")), nil
                )
            }
            let fromAddress = state.pendingByAddress[address, default: 0]
            if fromAddress >= configuration.maximumHandshakesPerAddress {
                return (
                    .refused(
                        SecureChannelError(
                            code: .connectionLimit,
                            message:
                                "refused \(address): \(fromAddress) handshakes from that address already in progress"
                        )), nil
                )
            }
            var victim: (any Channel)?
            if state.pending.count >= configuration.maximumPendingHandshakes {
                guard let oldest = state.pending.min(by: { $0.key < $1.key }),
                    now - oldest.value.since >= Self.evictableAge
                else {
                    return (
                        .refused(
                            SecureChannelError(
                                code: .connectionLimit,
                                message: "refused \(address): \(state.pending.count) handshakes already in progress")),
                        nil
                    )
                }
                state.pending.removeValue(forKey: oldest.key)
                Self.release(oldest.value.address, in: &state)
                state.evicted += 1
                victim = oldest.value.channel
            }
            state.nextToken += 1
            state.pending[state.nextToken] = Pending(address: address, channel: channel, since: now)
            state.connections += 1
            state.pendingByAddress[address] = fromAddress + 1
            return (.admitted(token: state.nextToken), victim)
        }
        victim?.close(promise: nil)
        return admission
    }

    private static func release(_ address: String, in state: inout State) {
        let remaining = state.pendingByAddress[address, default: 1] - 1
        state.pendingByAddress[address] = remaining > 0 ? remaining : nil
    }

    /// The handshake admitted as `token` ended (completed, failed, or evicted earlier).
    package func handshakeEnded(_ token: Int) {
        state.withLock { state in
            guard let ended = state.pending.removeValue(forKey: token) else { return }
            Self.release(ended.address, in: &state)
        }
    }

    /// A connection admitted earlier has closed.
    package func connectionClosed() {
        state.withLock { $0.connections -= 1 }
    }

    /// (connections, pending handshakes), for status and tests.
    package var counts: (connections: Int, pendingHandshakes: Int) {
        state.withLock { ($0.connections, $0.pending.count) }
    }

    /// Pending handshakes closed to make room for newer ones, since start-up.
    package var evictedHandshakes: Int { state.withLock { $0.evicted } }
}
