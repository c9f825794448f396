import Synchronization
import WeMeetCrypto

/// Who this side of a channel is: its identity key and display name.
///
/// The Noise static key is the identity key converted to X25519, so completing the
/// handshake proves possession of the identity key itself (Protocol.md §4.3).
public struct ChannelCredentials: Sendable {
    /// The node's Ed25519 identity key.
    public let identityKey: Ed25519.PrivateKey
    /// The display name sent to peers (at most 255 bytes of UTF-8 on the wire): the current
    /// one, shared by every copy of these credentials (``rename(_:)``).
    public var displayName: String { name.value.withLock { $0 } }
    private let name: SharedName
    /// The Noise static key, derived from ``identityKey``.
    package let staticKey: X25519.PrivateKey

    public init(identityKey: Ed25519.PrivateKey, displayName: String) {
        self.identityKey = identityKey
        self.name = SharedName(Self.clipped(displayName))
        self.staticKey = identityKey.curve25519()
    }

    /// Changes the name sent in handshakes from now on, for every copy of these credentials
    /// (the listener's and the dialler's).
    public func rename(_ displayName: String) {
        let clipped = Self.clipped(displayName)
        name.value.withLock { $0 = clipped }
    }

    private static func clipped(_ name: String) -> String {
        String(decoding: Array(name.utf8.prefix(255)), as: UTF8.self)
    }

    /// This node's ID.
    public var nodeID: NodeID { NodeID(publicKey: identityKey.publicKey) }
}

/// The display name behind a lock, shared by copies of ``ChannelCredentials``.
private final class SharedName: Sendable {
    let value: Mutex<String>

    init(_ name: String) { value = Mutex(name) }
}
