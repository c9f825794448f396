/// A WeMeet service instance seen on the network and resolved: where to reach it and what
/// its TXT record says.
public struct Sighting: Hashable, Sendable {
    /// The service instance name (a label).
    public var instanceName: String
    /// The node's advertised record (its node ID is the identity).
    public var record: NodeRecord
    /// The host name the service points at (`wmlan-h1.local.`).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// Addresses of `host`, IPv4 first; IPv6 link-local ones carry their zone (`fe80::1%eth0`).
    public var addresses: [String]

    public init(instanceName: String, record: NodeRecord, host: String, port: Int, addresses: [String]) {
        self.instanceName = instanceName
        self.record = record
        self.host = host
        self.port = port
        self.addresses = addresses
    }
}
