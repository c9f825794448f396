import Foundation
import Testing
import WeMeetAttachments
import WeMeetCrypto
import WeMeetProcess

/// The blob format's vectors (Protocol.md §13.1), computed independently with PyNaCl.
@Suite("Blob format vectors")
struct BlobVectorTests {
    static let key: SymmetricKey = {
        // 32 bytes: cannot fail.
        (try? SymmetricKey(bytes: Array(0..<32))) ?? SymmetricKey()
    }()

    /// Seals `data` as the encoder does and returns the sealed chunks, their hashes and the ID.
    static func encode(_ data: [UInt8]) throws -> (sealed: [UInt8], hashes: [[UInt8]], id: BlobID) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try BlobFile(path: directory.path + "/blob", create: true)
        defer { file.close() }
        var encoder = BlobEncoder(size: UInt64(data.count), file: file, key: key)
        try encoder.append(data)
        let id = try encoder.finish()
        return (try file.read(at: 0, count: Int(Blob.sealedSize(size: UInt64(data.count)))), encoder.hashes, id)
    }

    @Test func aOneChunkBlobMatchesTheVector() throws {
        let (sealed, hashes, id) = try Self.encode(Array("hello".utf8))
        #expect(Hex.encode(sealed) == "70dd2e5dc2b5ed1819dcf449ab14e32a98ea0f68af")
        #expect(hashes.map { Hex.encode($0) } == ["2084a07c216e794b39371c39e5ffd5b01c34d304688f00458144c8704e2bb43c"])
        #expect(id.description == "9098e55e8bd0aaf8b582794ff3cbdee3d4748c5ab106bbc230fe7093dcfb7ded")
        #expect(try Blob.open(sealed, index: 0, key: Self.key, size: 5) == Array("hello".utf8))
    }

    @Test func aTwoChunkBlobMatchesTheVectorAndEachChunkOpensAlone() throws {
        let data = [UInt8](repeating: 0x61, count: 262_145)
        let (sealed, hashes, id) = try Self.encode(data)
        #expect(
            hashes.map { Hex.encode($0) } == [
                "a33993c34b86a7c28150efa855be9d473397e5f0df34d84d63e6507948ac3615",
                "3eda5fe6a58347c14188d68226fd2a749656e8419b6e456e28ca561aa27a114a",
            ])
        #expect(id.description == "a028168c37c1fa508e3d88ff2c94f0646791690f62fe4244fac9853224b465e6")
        let second = Array(sealed[Int(Blob.offset(ofChunk: 1))...])
        #expect(Hex.encode(second) == "feb3ea1210a01df3c1b80dea9ff8c2e3d4")
        #expect(try Blob.open(second, index: 1, key: Self.key, size: 262_145) == [0x61])
        // A chunk opened under another index (a swapped chunk) fails.
        #expect(throws: AttachmentError.self) { try Blob.open(second, index: 0, key: Self.key, size: 262_145) }
    }

    @Test func blobMessagesRoundTripAndBadOnesAreRefused() throws {
        let id = BlobID(digest: Array(repeating: 7, count: 32))
        for message: BlobMessage in [
            .hashesGet(id, first: 3, count: 9), .hashes(id, first: 1, [Array(repeating: 1, count: 32)]),
            .chunkGet(id, first: 4, count: 16), .chunk(id, index: 2, Array(repeating: 9, count: 40)),
            .refuse(id, index: 5, .notHeld, "not yet"),
        ] {
            #expect(try BlobMessage(bytes: message.bytes) == message)
        }
        #expect(throws: AttachmentError.self) { try BlobMessage(bytes: [0x22] + id.bytes + [0, 0, 0, 0, 0, 17]) }
        #expect(throws: AttachmentError.self) { try BlobMessage(bytes: [0x23] + id.bytes + [0, 0, 0, 0] + [1, 2]) }
        #expect(throws: AttachmentError.self) { try BlobMessage(bytes: [0x21] + id.bytes + [0, 0, 0, 0] + [1]) }
        #expect(throws: AttachmentError.self) { try BlobMessage(bytes: [0x2F] + id.bytes + [0, 0, 0, 0]) }
    }
}
