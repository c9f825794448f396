import WeMeetChannel
import WeMeetCrypto
import WeMeetModel

/// Where a channel's reader (``ConnectionManager/serve(_:routingTo:)``) routes what happens on
/// it: the channel kept, each application message (Protocol.md §6.3 for their types), its end.
package protocol ConnectionDelegate: Sendable {
    /// A channel to `peer` was registered (the one kept for that peer).
    func connected(_ peer: PeerInfo) async
    /// The kept channel to `peer` ended (closed by either side or lost).
    func disconnected(_ peer: PeerInfo) async
    /// One application message from `peer`.
    func received(_ message: [UInt8], from peer: PeerInfo) async -> MessageVerdict
}
