import WeMeetCrypto

/// What an authenticated channel knows about the other side.
public struct PeerInfo: Sendable, Hashable {
    /// The peer's node ID, proven by the handshake.
    public var nodeID: NodeID
    /// The display name the peer sent (a label, not an identity).
    public var displayName: String
    /// The negotiated protocol version.
    public var protocolVersion: UInt16
    /// The Noise handshake hash: unique to this session and known only to its two ends, for
    /// channel binding (pairing codes are derived from it).
    public var handshakeHash: [UInt8]
    /// Whether this side initiated the connection.
    public var isInitiator: Bool
    /// The peer's address as seen by the socket, for logs.
    public var remoteAddress: String

    package init(
        nodeID: NodeID, displayName: String, protocolVersion: UInt16, handshakeHash: [UInt8], isInitiator: Bool,
        remoteAddress: String
    ) {
        self.nodeID = nodeID
        self.displayName = displayName
        self.protocolVersion = protocolVersion
        self.handshakeHash = handshakeHash
        self.isInitiator = isInitiator
        self.remoteAddress = remoteAddress
    }
}
