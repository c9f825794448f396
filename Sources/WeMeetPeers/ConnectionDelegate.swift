import WeMeetChannel
import WeMeetCrypto
import WeMeetModel

/// What the connection manager tells the layers above it: new channels, and application
/// messages (Protocol.md §6.3 for their types).
package protocol ConnectionDelegate: Sendable {
    /// A channel to `peer` was registered (the one kept for that peer).
    func connected(_ peer: PeerInfo) async
    /// The kept channel to `peer` ended (closed by either side or lost).
    func disconnected(_ peer: PeerInfo) async
    /// One application message from `peer`.
    func received(_ message: [UInt8], from peer: PeerInfo) async -> MessageVerdict
}
