import WeMeetCrypto

/// A blob's ID: the BLAKE2b-256 digest of its size and chunk hashes (Protocol.md §13.1).
package struct BlobID: Hashable, Sendable, CustomStringConvertible, Comparable {
    package let bytes: [UInt8]

    package init(bytes: [UInt8]) throws(AttachmentError) {
        guard bytes.count == 32 else {
            throw AttachmentError(code: .malformed, message: "a blob ID is 32 bytes, not \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A BLAKE2b-256 digest computed here (always 32 bytes).
    package init(digest: [UInt8]) {
        precondition(digest.count == 32, "a BLAKE2b-256 digest is 32 bytes")
        self.bytes = digest
    }

    package init(hex: String) throws(AttachmentError) {
        guard let bytes = try? Hex.decode(hex), bytes.count == 32 else {
            throw AttachmentError(code: .malformed, message: "not a blob ID (64 hex digits): \(hex.prefix(80))")
        }
        self.bytes = bytes
    }

    package var description: String { Hex.encode(bytes) }

    package static func < (lhs: BlobID, rhs: BlobID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
