import Foundation
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

/// Who this node is: its Ed25519 key (hence its ``NodeID``) and the display name people see.
public struct NodeIdentity: Sendable {
    /// The secret signing key.
    public let privateKey: Ed25519.PrivateKey
    /// The display name (``NodeIdentity/validateName(_:)`` rules).
    public let name: String

    /// The node's ID, derived from its public key.
    public var nodeID: NodeID { NodeID(publicKey: privateKey.publicKey) }

    public init(privateKey: Ed25519.PrivateKey, name: String) {
        self.privateKey = privateKey
        self.name = name
    }

    /// The longest display name, in UTF-8 bytes (``DisplayName/maximumLength``).
    public static let maximumNameLength = DisplayName.maximumLength

    /// Trims `name` and checks it keeps the rules of Protocol.md §2 (``DisplayName``).
    public static func validateName(_ name: String) throws(NodeError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = DisplayName.problem(in: trimmed) {
            throw NodeError(
                code: .invalidName,
                message: trimmed.isEmpty ? "the name is empty; choose a name people will recognise" : problem)
        }
        return trimmed
    }
}
