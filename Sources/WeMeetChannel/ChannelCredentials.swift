import WeMeetCrypto

/// Who this side of a channel is: its identity key and display name.
///
/// The Noise static key is the identity key converted to X25519, so completing the
/// handshake proves possession of the identity key itself (Protocol.md §4.3).
public struct ChannelCredentials: Sendable {
    /// The node's Ed25519 identity key.
    public let identityKey: Ed25519.PrivateKey
    /// The display name sent to peers (at most 255 bytes of UTF-8 on the wire).
    public let displayName: String
    /// The Noise static key, derived from ``identityKey``.
    package let staticKey: X25519.PrivateKey

    public init(identityKey: Ed25519.PrivateKey, displayName: String) {
        self.identityKey = identityKey
        self.displayName = String(decoding: Array(displayName.utf8.prefix(255)), as: UTF8.self)
        self.staticKey = identityKey.curve25519()
    }

    /// This node's ID.
    public var nodeID: NodeID { NodeID(publicKey: identityKey.publicKey) }
}
