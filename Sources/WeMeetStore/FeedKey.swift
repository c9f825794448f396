/// The 65 bytes that define a feed in an entry's header (author ‖ kind ‖ audience), as words:
/// a cheap dictionary key for start-up, which meets every entry once and must not hash each
/// feed descriptor byte by byte or compute its BLAKE2b feed ID again.
package struct FeedKey: Hashable {
    private var words: SIMD8<UInt64>
    private var kind: UInt8

    /// Reads the descriptor from an encoded entry starting at index `base`.
    package init(entry bytes: ArraySlice<UInt8>, base: Int) {
        func word(_ offset: Int) -> UInt64 {
            bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset - bytes.startIndex, as: UInt64.self) }
        }
        // author: bytes 1..<33, kind: 33, audience: 34..<66
        words = SIMD8(
            word(base + 1), word(base + 9), word(base + 17), word(base + 25), word(base + 34), word(base + 42),
            word(base + 50), word(base + 58))
        kind = bytes[base + 33]
    }

    package static func == (lhs: FeedKey, rhs: FeedKey) -> Bool {
        lhs.kind == rhs.kind && lhs.words == rhs.words
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(words[0])
        hasher.combine(words[4])
        hasher.combine(words[7])
        hasher.combine(kind)
    }
}
