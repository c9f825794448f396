import Foundation
import WeMeetCrypto

/// Files for attachment tests.
package enum AttachmentFixtures {
    /// A file's bytes as an upload stream, in 100 kB pieces.
    package static func stream(_ bytes: [UInt8]) -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            var offset = 0
            while offset < bytes.count {
                continuation.yield(Array(bytes[offset..<min(bytes.count, offset + 100_000)]))
                offset += 100_000
            }
            continuation.finish()
        }
    }

    /// A PNG-looking file of `count` random bytes whose header says 640×480.
    package static func photo(_ count: Int) -> [UInt8] {
        let header: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        return header + [0, 0, 2, 128, 0, 0, 1, 224] + Random.bytes(count: count - 24)
    }
}
