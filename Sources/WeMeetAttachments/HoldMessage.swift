import WeMeetCrypto
import WeMeetModel

/// HOLD (Protocol.md §8.5): `0x32` ‖ `reader[32]` ‖ `u8 n` (1–16) ‖ *n* × (`blob[32]` ‖
/// `u64 size`). An author asks a friend who relays for `reader` to fetch and keep these
/// blobs of its mail (sealed: the relay never gets their keys). Sent on the channel between
/// two friends, in the presence range (older nodes ignore it).
package struct HoldMessage: Equatable, Sendable {
    /// The message type.
    package static let type: UInt8 = 0x32

    package var reader: NodeID
    package var blobs: [(id: BlobID, size: UInt64)]

    package init(reader: NodeID, blobs: [(id: BlobID, size: UInt64)]) {
        self.reader = reader
        self.blobs = blobs
    }

    package static func == (lhs: HoldMessage, rhs: HoldMessage) -> Bool {
        lhs.reader == rhs.reader && lhs.blobs.map(\.id) == rhs.blobs.map(\.id)
            && lhs.blobs.map(\.size) == rhs.blobs.map(\.size)
    }

    /// The HOLDs that name the blobs of `references` for `reader`: each blob once, at most 16
    /// a message (none for no references).
    package static func asking(for reader: NodeID, _ references: [AttachmentReference]) -> [HoldMessage] {
        var seen: Set<BlobID> = []
        var blobs: [(id: BlobID, size: UInt64)] = []
        for reference in references {
            guard let id = try? reference.blobID(), seen.insert(id).inserted else { continue }
            blobs.append((id, reference.size))
        }
        return stride(from: 0, to: blobs.count, by: 16).map {
            HoldMessage(reader: reader, blobs: Array(blobs[$0..<min($0 + 16, blobs.count)]))
        }
    }

    /// The message's bytes.
    package var bytes: [UInt8] {
        var out: [UInt8] = [Self.type]
        out += reader.publicKey.rawRepresentation
        out.append(UInt8(blobs.count))
        for blob in blobs {
            out += blob.id.bytes
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: blob.size >> UInt64(shift)))
            }
        }
        return out
    }

    /// Parses a HOLD.
    /// - Throws: a ``NodeError`` for a wrong length or count.
    package init(bytes: [UInt8]) throws(NodeError) {
        guard bytes.count >= 34, bytes[0] == Self.type else {
            throw NodeError(code: .protocolViolation, message: "HOLD is at least 34 bytes")
        }
        let count = Int(bytes[33])
        guard (1...16).contains(count), bytes.count == 34 + 40 * count else {
            throw NodeError(code: .protocolViolation, message: "HOLD of \(count) blobs is not \(bytes.count) bytes")
        }
        guard let key = try? Ed25519.PublicKey(rawRepresentation: bytes[1..<33]) else {
            throw NodeError(code: .protocolViolation, message: "HOLD names no reader")
        }
        reader = NodeID(publicKey: key)
        var blobs: [(id: BlobID, size: UInt64)] = []
        for index in 0..<count {
            let base = 34 + 40 * index
            guard let id = try? BlobID(bytes: Array(bytes[base..<base + 32])) else {
                throw NodeError(code: .protocolViolation, message: "HOLD blob \(index) is not an ID")
            }
            let size = bytes[base + 32..<base + 40].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            blobs.append((id, size))
        }
        self.blobs = blobs
    }
}
