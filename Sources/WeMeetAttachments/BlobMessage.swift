/// The blob messages (Protocol.md §13.4): application messages `0x20`–`0x2F`, all integers
/// big-endian. A malformed one closes the channel (close code 2); a request for a blob the
/// peer may not have is answered with ``refuse`` and the channel stays.
package enum BlobMessage: Equatable, Sendable {
    /// `0x20 ‖ blob[32] ‖ u32 first ‖ u32 count`: "send me hashes first ..< first + count".
    case hashesGet(BlobID, first: UInt32, count: UInt32)
    /// `0x21 ‖ blob[32] ‖ u32 first ‖ n × hash[32]`.
    case hashes(BlobID, first: UInt32, [[UInt8]])
    /// `0x22 ‖ blob[32] ‖ u32 first ‖ u16 count`: "send me chunks first ..< first + count".
    case chunkGet(BlobID, first: UInt32, count: UInt16)
    /// `0x23 ‖ blob[32] ‖ u32 index ‖ sealed chunk`.
    case chunk(BlobID, index: UInt32, [UInt8])
    /// `0x24 ‖ blob[32] ‖ u32 index ‖ u8 reason ‖ u16 length ‖ UTF-8 text`.
    case refuse(BlobID, index: UInt32, Reason, String)

    /// Why a request was refused. Unknown codes are read as ``notAuthorised``.
    package enum Reason: UInt8, Sendable {
        /// The request does not make sense (a range past the blob's end, too many at once).
        case malformed = 1
        /// The asker may not have this blob (no entry referencing it would be served to it) —
        /// said the same way whether or not this node holds it.
        case notAuthorised = 2
        /// This node may serve the blob but does not hold that chunk (yet).
        case notHeld = 3
    }

    /// The most hashes in one HASHES (512 KiB of them).
    package static let maximumHashes: UInt32 = 16_384
    /// The most chunks one CHUNK_GET asks for.
    package static let maximumChunks: UInt16 = 16
    /// The longest refusal text.
    package static let maximumTextBytes = 1_024

    /// Application message types 0x20–0x2F belong to blobs.
    package static func isBlob(_ type: UInt8) -> Bool { (0x20...0x2F).contains(type) }

    package var bytes: [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { for s in [24, 16, 8, 0] { out.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
        switch self {
        case .hashesGet(let id, let first, let count):
            out = [0x20] + id.bytes
            u32(first)
            u32(count)
        case .hashes(let id, let first, let hashes):
            out = [0x21] + id.bytes
            u32(first)
            out.reserveCapacity(out.count + hashes.count * 32)
            for hash in hashes { out += hash }
        case .chunkGet(let id, let first, let count):
            out = [0x22] + id.bytes
            u32(first)
            out += [UInt8(count >> 8), UInt8(truncatingIfNeeded: count)]
        case .chunk(let id, let index, let sealed):
            out = [0x23] + id.bytes
            out.reserveCapacity(out.count + 4 + sealed.count)
            u32(index)
            out += sealed
        case .refuse(let id, let index, let reason, let text):
            out = [0x24] + id.bytes
            u32(index)
            let utf8 = Array(text.utf8.prefix(Self.maximumTextBytes))
            out += [reason.rawValue, UInt8(utf8.count >> 8), UInt8(truncatingIfNeeded: utf8.count)] + utf8
        }
        return out
    }

    /// Decodes one message, or says what is wrong with it.
    package init(bytes: [UInt8]) throws(AttachmentError) {
        func fail(_ why: String) -> AttachmentError { AttachmentError(code: .malformed, message: why) }
        guard bytes.count >= 37 else { throw fail("a blob message of \(bytes.count) bytes is too short") }
        let id = BlobID(digest: Array(bytes[1..<33]))
        let number = bytes[33..<37].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let rest = bytes[37...]
        switch bytes[0] {
        case 0x20:
            guard rest.count == 4 else { throw fail("HASHES_GET is 41 bytes, not \(bytes.count)") }
            let count = rest.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard (1...Self.maximumHashes).contains(count) else {
                throw fail("HASHES_GET asks for \(count) hashes (1 to \(Self.maximumHashes))")
            }
            self = .hashesGet(id, first: number, count: count)
        case 0x21:
            guard !rest.isEmpty, rest.count % 32 == 0, rest.count / 32 <= Int(Self.maximumHashes) else {
                throw fail("HASHES carries \(rest.count) bytes: not 1 to \(Self.maximumHashes) hashes of 32 bytes")
            }
            let hashes = stride(from: rest.startIndex, to: rest.endIndex, by: 32).map { Array(bytes[$0..<$0 + 32]) }
            self = .hashes(id, first: number, hashes)
        case 0x22:
            guard rest.count == 2 else { throw fail("CHUNK_GET is 39 bytes, not \(bytes.count)") }
            let count = UInt16(rest[rest.startIndex]) << 8 | UInt16(rest[rest.startIndex + 1])
            guard (1...Self.maximumChunks).contains(count) else {
                throw fail("CHUNK_GET asks for \(count) chunks (1 to \(Self.maximumChunks))")
            }
            self = .chunkGet(id, first: number, count: count)
        case 0x23:
            guard rest.count >= Blob.tagLength, rest.count <= Blob.chunkSize + Blob.tagLength else {
                throw fail("a CHUNK of \(rest.count) bytes (a sealed chunk is 16 to \(Blob.chunkSize + 16))")
            }
            self = .chunk(id, index: number, Array(rest))
        case 0x24:
            guard rest.count >= 3 else { throw fail("REFUSE is too short") }
            let start = rest.startIndex
            let length = Int(rest[start + 1]) << 8 | Int(rest[start + 2])
            guard length <= Self.maximumTextBytes else {
                throw fail("REFUSE's text length \(length) is over \(Self.maximumTextBytes) bytes")
            }
            guard rest.count == 3 + length else {
                throw fail("REFUSE's text length \(length) does not match its \(rest.count - 3) bytes")
            }
            let text = String(decoding: rest[(start + 3)...], as: UTF8.self)
            self = .refuse(id, index: number, Reason(rawValue: rest[start]) ?? .notAuthorised, text)
        default:
            throw fail("unknown blob message type 0x\(String(bytes[0], radix: 16))")
        }
    }
}
