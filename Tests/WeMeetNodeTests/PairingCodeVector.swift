import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// The expected code for the vector (a 64-byte all-0x11 handshake hash, 0x22 initiator nonce,
/// 0x33 responder nonce; Protocol.md §6.4).
enum PairingCodeVector {
    /// Computed independently with Python's hashlib.blake2b.
    static let code = "182342"
    static let commitment = "f2adcecc4458c302e3111a65dc2e565fb4da7324e18dd48251c906a180a2eb8b"
}
