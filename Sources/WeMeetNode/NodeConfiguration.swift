import Logging
import WeMeetChannel

/// How to run a node: where to listen, whom to dial, which limits.
public struct NodeConfiguration: Sendable {
    /// Where to accept peers (port 0: any free port).
    public var listen = PeerAddress(host: "0.0.0.0", port: ChannelConfiguration.defaultPort)
    /// Peers to dial and keep connected.
    public var staticPeers: [PeerAddress] = []
    /// Whether mDNS discovery is wanted (it arrives with the radar).
    public var mdns = true
    /// Channel limits and timeouts.
    public var channel = ChannelConfiguration()
    /// Whether to serve the control API on `HOME/control.sock`.
    public var controlAPI = true
    /// Reconnect backoff: first delay and cap (each attempt doubles, ±50% jitter).
    public var backoffStart: Duration = .milliseconds(100)
    public var backoffCap: Duration = .seconds(30)

    public init() {}
}
