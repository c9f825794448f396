import Foundation
import WeMeetCrypto

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

    /// The longest display name, in UTF-8 bytes (it must fit a DNS-SD instance name, 63 bytes,
    /// with a short node-ID suffix).
    public static let maximumNameLength = 48

    /// Trims `name` and checks it is 1...48 UTF-8 bytes with no control characters.
    public static func validateName(_ name: String) throws(NodeError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw NodeError(code: .invalidName, message: "the name is empty; choose a name people will recognise")
        }
        guard trimmed.utf8.count <= maximumNameLength else {
            throw NodeError(
                code: .invalidName,
                message: "the name is \(trimmed.utf8.count) bytes; at most \(maximumNameLength) (UTF-8) are allowed")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw NodeError(code: .invalidName, message: "the name contains control characters")
        }
        return trimmed
    }
}
