import WeMeetChannel
import WeMeetCrypto

/// What sync needs of the connections below it: the channels open now, and writing to or
/// closing one. The node hands it the connection manager; sync never names it.
package protocol SyncTransport: Sendable {
    /// The channels open now, one per peer.
    func peers() async -> [PeerInfo]
    /// The channel open to `nodeID`, if any.
    func peer(_ nodeID: NodeID) async -> PeerInfo?
    /// Sends one application message to `nodeID` on the channel whose handshake hash is
    /// `session` (any when nil); false when that channel is gone.
    func send(_ bytes: [UInt8], to nodeID: NodeID, session: [UInt8]?) async -> Bool
    /// Closes the channel to `nodeID` with `code`.
    func close(_ nodeID: NodeID, code: CloseCode, reason: String) async
}
