import WeMeetChannel

/// How the connection manager connects: channel limits and the redial backoff.
package struct PeersConfiguration: Sendable {
    /// Channel limits and timeouts.
    package var channel: ChannelConfiguration
    /// Reconnect backoff: first delay and cap (each attempt doubles, ±50% jitter).
    package var backoffStart: Duration
    package var backoffCap: Duration
    /// The most channels kept at once with strangers: inbound, authenticated, and neither a
    /// friend nor a fellow group member (Protocol.md §4.6). Past it the idlest goes.
    package var maximumStrangers = 32
    /// The most stranger channels kept from one IP address.
    package var maximumStrangersPerAddress = 4
    /// The most channels kept that fellow members (not friends) opened and that are not
    /// this node's overlay links (Protocol.md §4.6, §10.9). Past it the idlest goes.
    package var maximumSpareFellows = 32

    package init(channel: ChannelConfiguration, backoffStart: Duration, backoffCap: Duration) {
        self.channel = channel
        self.backoffStart = backoffStart
        self.backoffCap = backoffCap
    }
}
