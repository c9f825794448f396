import WeMeetChannel

/// How the connection manager connects: channel limits and the redial backoff.
package struct PeersConfiguration: Sendable {
    /// Channel limits and timeouts.
    package var channel: ChannelConfiguration
    /// Reconnect backoff: first delay and cap (each attempt doubles, ±50% jitter).
    package var backoffStart: Duration
    package var backoffCap: Duration

    package init(channel: ChannelConfiguration, backoffStart: Duration, backoffCap: Duration) {
        self.channel = channel
        self.backoffStart = backoffStart
        self.backoffCap = backoffCap
    }
}
