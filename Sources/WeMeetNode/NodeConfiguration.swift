import Logging
import WeMeetChannel
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// How to run a node: where to listen, whom to dial, which limits.
public struct NodeConfiguration: Sendable {
    /// Where to accept peers (port 0: any free port).
    public var listen = PeerAddress(host: "0.0.0.0", port: ChannelConfiguration.defaultPort)
    /// Peers to dial and keep connected.
    public var staticPeers: [PeerAddress] = []
    /// Whether to advertise and browse on the local network (mDNS, `--no-mdns` turns it off).
    public var mdns = true
    /// The discovery to use instead of the system's mDNS daemon (unit tests pass an
    /// ``InMemoryDiscovery``); only used when ``mdns`` is on.
    public var discovery: (any DiscoveryService)?
    /// How often the radar checks that nearby nodes without a channel still answer, and how
    /// long one check may take (two failed checks in a row mark a node gone).
    public var radarProbeInterval: Duration = .seconds(5)
    public var radarProbeTimeout: Duration = .seconds(2)
    /// How long after the first pairing code a lone candidate is confirmed (Protocol.md §6.2).
    public var pairingSettle: Duration = .milliseconds(800)
    /// Channel limits and timeouts.
    public var channel = ChannelConfiguration()
    /// Whether to serve the control API on `HOME/control.sock`: honoured by WeMeetControl's
    /// `Node.runServingControlAPI()` (what `wemeet node` runs); `Node.run()` alone serves none.
    public var controlAPI = true
    /// Reconnect backoff: first delay and cap (each attempt doubles, ±50% jitter).
    public var backoffStart: Duration = .milliseconds(100)
    public var backoffCap: Duration = .seconds(5)
    /// The clock for the timestamps this node writes into its entries (a claim, never
    /// authority: Protocol.md §7.1). Tests give nodes skewed clocks.
    public var clock = WallClock.system
    /// This node's own monotonic clock for the recall window (Protocol.md §9.2). Tests move it.
    public var arrivalClock = ArrivalClock.system
    /// Attachments up to this size are fetched as soon as their entry arrives (Protocol.md
    /// §13.3); larger ones when the user asks. 8 MiB: photos and voice notes just appear.
    /// The user's setting (``Node/setAutomaticAttachmentBytes(_:)``) overrides it.
    public var automaticFetchBytes: UInt64 = 8 << 20

    public init() {}
}
