import WeMeetCrypto
import WeMeetModel

/// FRIENDS (Protocol.md §8.5): `0x31` ‖ `flags u8` ‖ `u16 n` ‖ *n* × `tag[16]`. A node tells
/// a friend which of its other friends it has, each as a tag only that friend can check
/// (``tag(sender:receiver:friend:)``), and whether it relays for its friends (flag bit 0).
/// Sent on the channel between two friends, never stored.
package struct FriendsMessage: Equatable, Sendable {
    /// The message type (in the presence range `0x30`–`0x3F`, which older nodes ignore).
    package static let type: UInt8 = 0x31
    /// Tags per message at most: a node with more friends sends the first 4,096 by tag order.
    package static let maximumTags = 4096
    /// The domain of a tag's hash.
    private static let domain = Array("WeMeet friend tag v1".utf8)

    /// Whether the sender holds and passes on mail between its friends (§8.5).
    package var relays: Bool
    /// One tag per friend of the sender (other than the receiver).
    package var tags: [[UInt8]]

    package init(relays: Bool, tags: [[UInt8]]) {
        self.relays = relays
        self.tags = tags
    }

    /// `BLAKE2b-128(domain ‖ sender ‖ receiver ‖ friend)`, the 32-byte public keys: the
    /// receiver, knowing its own friends, finds which it shares with the sender; anyone else
    /// learns nothing it could not already test, and a tag means nothing to another receiver.
    package static func tag(sender: NodeID, receiver: NodeID, friend: NodeID) -> [UInt8] {
        Blake2b.hash(
            domain + sender.publicKey.rawRepresentation + receiver.publicKey.rawRepresentation
                + friend.publicKey.rawRepresentation, length: .bytes16)
    }

    /// The message's bytes.
    package var bytes: [UInt8] {
        var out: [UInt8] = [Self.type, relays ? 1 : 0]
        out.append(UInt8(tags.count >> 8))
        out.append(UInt8(tags.count & 0xFF))
        for tag in tags { out += tag }
        return out
    }

    /// Parses a FRIENDS message.
    /// - Throws: a ``NodeError`` for a wrong length, too many tags or undefined flags.
    package init(bytes: [UInt8]) throws(NodeError) {
        guard bytes.count >= 4, bytes[0] == Self.type else {
            throw NodeError(code: .protocolViolation, message: "FRIENDS is at least 4 bytes")
        }
        guard bytes[1] <= 1 else {
            throw NodeError(code: .protocolViolation, message: "FRIENDS flags \(bytes[1]) has undefined bits")
        }
        let count = Int(bytes[2]) << 8 | Int(bytes[3])
        guard count <= Self.maximumTags else {
            throw NodeError(code: .protocolViolation, message: "FRIENDS carries \(count) tags, over 4096")
        }
        guard bytes.count == 4 + 16 * count else {
            throw NodeError(
                code: .protocolViolation,
                message: "FRIENDS with \(count) tags is \(4 + 16 * count) bytes, not \(bytes.count)")
        }
        relays = bytes[1] == 1
        tags = (0..<count).map { Array(bytes[4 + 16 * $0..<4 + 16 * ($0 + 1)]) }
    }
}
