/// What a node asks the mDNS daemon to announce: a `_wemeet._tcp` service instance.
public struct Advertisement: Hashable, Sendable {
    /// The instance name to ask for; a label for people, never an identity. The daemon may
    /// rename it on a conflict (``DiscoveryEvent/registered(_:)`` tells the final name).
    public var instanceName: String
    /// The TCP port the node listens on.
    public var port: Int
    /// The TXT record's content.
    public var record: NodeRecord

    public init(instanceName: String, port: Int, record: NodeRecord) {
        self.instanceName = instanceName
        self.port = port
        self.record = record
    }

    /// The instance name WeMeet asks for: the display name and the first group of the node
    /// ID, `Alice (AB3D)`, so two nodes that share a name (even on one host) never collide.
    public static func instanceName(displayName: String, record: NodeRecord) -> String {
        let suffix = " (\(record.nodeID.shortForm))"
        // DNS labels hold at most 63 bytes.
        var name = displayName
        while name.utf8.count + suffix.utf8.count > 63 { name.removeLast() }
        return name + suffix
    }

    /// The display name inside an instance name written by ``instanceName(displayName:record:)``
    /// (also after a daemon's ` #2` rename); other names are returned whole.
    public static func displayName(instanceName: String, record: NodeRecord) -> String {
        let suffix = " (\(record.nodeID.shortForm))"
        if let range = instanceName.firstRange(of: suffix) {
            return String(instanceName[..<range.lowerBound])
        }
        return instanceName
    }
}
