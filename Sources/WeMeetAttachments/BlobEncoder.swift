import WeMeetCrypto

/// Seals a file into a blob as its bytes arrive (an upload never sits whole in memory):
/// bytes gather into a chunk, each full chunk is sealed, hashed and written to `file`.
/// The size is known only at the end, and it is bound into every chunk (§13.1), so the
/// encoder needs it first: callers give it (an upload's length), and ``finish()`` checks it.
package struct BlobEncoder: Sendable {
    package let key: SymmetricKey
    package let size: UInt64
    private let file: BlobFile
    private var pending: [UInt8] = []
    private var index = 0
    private var received: UInt64 = 0
    package private(set) var hashes: [[UInt8]] = []
    /// The first bytes, for recognising images.
    package private(set) var head: [UInt8] = []

    package init(size: UInt64, file: BlobFile, key: SymmetricKey = SymmetricKey()) {
        self.key = key
        self.size = size
        self.file = file
        pending.reserveCapacity(Blob.chunkSize)
    }

    /// Takes the next bytes of the file.
    package mutating func append(_ bytes: some Collection<UInt8>) throws(AttachmentError) {
        received += UInt64(bytes.count)
        guard received <= size else {
            throw AttachmentError(code: .malformed, message: "more bytes arrived than the \(size) announced")
        }
        if head.count < 65_536 { head += bytes.prefix(65_536 - head.count) }
        pending += bytes
        while pending.count >= Blob.chunkSize {
            try flush(Array(pending[..<Blob.chunkSize]))
            pending.removeFirst(Blob.chunkSize)
        }
    }

    private mutating func flush(_ plain: [UInt8]) throws(AttachmentError) {
        let sealed = Blob.seal(plain, index: index, key: key, size: size)
        try file.write(sealed, at: Blob.offset(ofChunk: index))
        hashes.append(Blob.hash(sealed))
        index += 1
    }

    /// Seals the last chunk, makes the file durable and returns the blob ID.
    package mutating func finish() throws(AttachmentError) -> BlobID {
        guard received == size else {
            throw AttachmentError(code: .malformed, message: "the upload ended after \(received) of \(size) bytes")
        }
        if !pending.isEmpty || index == 0 { try flush(pending) }
        pending = []
        try file.sync()
        return Blob.id(size: size, hashes: hashes)
    }
}
