import Synchronization

/// Counts connections and unauthenticated handshakes, so a flood of connections cannot push
/// a node past its documented limits (``ChannelConfiguration``).
package final class ConnectionLimiter: Sendable {
    private struct State {
        var connections = 0
        var pendingHandshakes = 0
        var pendingByAddress: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let configuration: ChannelConfiguration

    package init(configuration: ChannelConfiguration) {
        self.configuration = configuration
    }

    /// Admits a new connection from `address`, or says why not.
    package func admit(address: String) -> SecureChannelError? {
        state.withLock { state in
            if state.connections >= configuration.maximumConnections {
                return SecureChannelError(
                    code: .connectionLimit, message: "refused \(address): \(state.connections) connections already open"
                )
            }
            if state.pendingHandshakes >= configuration.maximumPendingHandshakes {
                return SecureChannelError(
                    code: .connectionLimit,
                    message: "refused \(address): \(state.pendingHandshakes) handshakes already in progress")
            }
            let fromAddress = state.pendingByAddress[address, default: 0]
            if fromAddress >= configuration.maximumHandshakesPerAddress {
                return SecureChannelError(
                    code: .connectionLimit,
                    message: "refused \(address): \(fromAddress) handshakes from that address already in progress")
            }
            state.connections += 1
            state.pendingHandshakes += 1
            state.pendingByAddress[address] = fromAddress + 1
            return nil
        }
    }

    /// The handshake from `address` ended (completed or failed).
    package func handshakeEnded(address: String) {
        state.withLock { state in
            state.pendingHandshakes -= 1
            let remaining = state.pendingByAddress[address, default: 1] - 1
            state.pendingByAddress[address] = remaining > 0 ? remaining : nil
        }
    }

    /// A connection admitted earlier has closed.
    package func connectionClosed() {
        state.withLock { $0.connections -= 1 }
    }

    /// (connections, pending handshakes), for status and tests.
    package var counts: (connections: Int, pendingHandshakes: Int) {
        state.withLock { ($0.connections, $0.pendingHandshakes) }
    }
}
