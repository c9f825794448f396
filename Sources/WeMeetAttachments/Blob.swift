import WeMeetCrypto

/// The blob format (Protocol.md §13.1): a file of `size` bytes is cut into chunks of
/// ``chunkSize`` bytes (the last one shorter; an empty file is one empty chunk), each sealed
/// with ChaCha20-Poly1305-IETF under the blob's key, nonce `4 zero bytes ‖ u64le index`,
/// associated data `u64be size`. `hash[i]` = BLAKE2b-256(sealed chunk *i*), and the blob ID =
/// BLAKE2b-256("WeMeet blob" ‖ u64be size ‖ hash[0] ‖ … ‖ hash[n−1]). So any chunk is verified
/// before it is opened, and opened alone.
package enum Blob {
    /// Plaintext bytes per chunk (256 KiB).
    package static let chunkSize = 262_144
    /// The AEAD tag each sealed chunk carries.
    package static let tagLength = 16
    /// The domain label of the blob ID.
    package static let label = Array("WeMeet blob".utf8)

    /// How many chunks a blob of `size` bytes has (at least one).
    package static func chunkCount(size: UInt64) -> Int {
        size == 0 ? 1 : Int((size + UInt64(chunkSize) - 1) / UInt64(chunkSize))
    }

    /// The plaintext length of chunk `index`.
    package static func plainLength(ofChunk index: Int, size: UInt64) -> Int {
        let start = UInt64(index) * UInt64(chunkSize)
        guard start < size else { return 0 }
        return Int(min(UInt64(chunkSize), size - start))
    }

    /// The sealed length of chunk `index`.
    package static func sealedLength(ofChunk index: Int, size: UInt64) -> Int {
        plainLength(ofChunk: index, size: size) + tagLength
    }

    /// Where sealed chunk `index` starts in a blob file (chunks are stored back to back).
    package static func offset(ofChunk index: Int) -> UInt64 { UInt64(index) * UInt64(chunkSize + tagLength) }

    /// The sealed blob's length on disk.
    package static func sealedSize(size: UInt64) -> UInt64 {
        UInt64(chunkCount(size: size)) * UInt64(tagLength) + size
    }

    private static func associatedData(size: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: size >> (56 - 8 * UInt64($0))) }
    }

    /// Seals chunk `index` of a blob of `size` bytes.
    package static func seal(_ plain: some Collection<UInt8>, index: Int, key: SymmetricKey, size: UInt64) -> [UInt8] {
        ChaChaPoly.seal(plain, key: key, counter: UInt64(index), authenticating: associatedData(size: size))
    }

    /// Opens sealed chunk `index`.
    package static func open(
        _ sealed: some Collection<UInt8>, index: Int, key: SymmetricKey, size: UInt64
    )
        throws(AttachmentError) -> [UInt8]
    {
        do {
            return try ChaChaPoly.open(
                sealed, key: key, nonce: ChaChaPoly.nonce(counter: UInt64(index)),
                authenticating: associatedData(size: size))
        } catch {
            throw AttachmentError(code: .mismatch, message: "chunk \(index) does not open under the blob's key")
        }
    }

    /// The hash of a sealed chunk.
    package static func hash(_ sealed: some Collection<UInt8>) -> [UInt8] { Blake2b.hash(sealed, length: .bytes32) }

    /// The blob ID of a blob of `size` bytes with these chunk hashes.
    package static func id(size: UInt64, hashes: [[UInt8]]) -> BlobID {
        var hasher = Blake2b.Hasher(length: .bytes32)
        hasher.update(label)
        hasher.update(associatedData(size: size))
        for hash in hashes { hasher.update(hash) }
        // 32 bytes by construction.
        return BlobID(digest: hasher.finalize())
    }
}
