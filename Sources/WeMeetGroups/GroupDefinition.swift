import Foundation
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// What defines a group, carried in every member's first entry of the group (its `join`
/// record) and hashed into the group's ID, so nobody can change a group's name, creator or
/// kind without making another group (Protocol.md §10.1).
package struct GroupDefinition: Hashable, Sendable {
    /// The longest group name, in UTF-8 bytes.
    package static let maximumNameBytes = 64

    /// The node that created the group: its first admin.
    package var creator: Ed25519.PublicKey
    /// Public groups are readable by anyone who joins; private ones are encrypted for members.
    package var isPublic: Bool
    /// 16 random bytes, so two groups with the same name and creator differ.
    package var nonce: [UInt8]
    package var name: String

    /// `BLAKE2b-256("WeMeet group" ‖ creator ‖ flags ‖ nonce ‖ name)`; flags bit 0 = public.
    package var id: GroupID {
        let input =
            Array("WeMeet group".utf8) + creator.rawRepresentation + [isPublic ? 1 : 0] + nonce + Array(name.utf8)
        return GroupID(rawValue: Blake2b.hash(input, length: .bytes32))
    }

    /// Checks a group name: not empty, at most 64 bytes, no control characters, no bidi overrides
    /// or isolates (the rules of display names, Protocol.md §2, but 64 bytes).
    package static func validate(name: String) throws(NodeError) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw NodeError(code: .invalidName, message: "a group name cannot be empty") }
        guard name.utf8.count <= maximumNameBytes else {
            throw NodeError(
                code: .invalidName,
                message: "the group name is \(name.utf8.count) bytes; the limit is \(maximumNameBytes)")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw NodeError(code: .invalidName, message: "a group name cannot contain control characters")
        }
        guard !name.unicodeScalars.contains(where: DisplayName.isBidiControl) else {
            throw NodeError(
                code: .invalidName, message: "a group name cannot contain bidirectional override or isolate characters")
        }
    }

    package init(creator: Ed25519.PublicKey, isPublic: Bool, nonce: [UInt8], name: String) {
        self.creator = creator
        self.isPublic = isPublic
        self.nonce = nonce
        self.name = name
    }
}
