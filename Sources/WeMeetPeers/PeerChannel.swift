import WeMeetChannel

/// One channel the connection manager kept, handed to the node's reader through
/// ``ConnectionManager/channels``: it reads the channel with
/// ``ConnectionManager/serve(_:routingTo:)`` and so routes each message to the layer above.
/// Data flows one way: the manager knows nothing of who reads.
package struct PeerChannel: Sendable {
    /// The peer, as the handshake proved it.
    package let peer: PeerInfo
    /// The manager's connection ID.
    package let id: Int
    /// What the peer sends.
    package let inbound: SecureChannel.Inbound
    /// Where replies go.
    package let writer: SecureChannelWriter
    /// A stranger's channel (bounded apart, idlest evicted first): its messages are noted.
    package var stranger = false
}
