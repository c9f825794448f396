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
        let author = base + Entry.Offset.author
        let audience = base + Entry.Offset.audience
        words = SIMD8(
            word(author), word(author + 8), word(author + 16), word(author + 24), word(audience),
            word(audience + 8), word(audience + 16), word(audience + 24))
        kind = bytes[base + Entry.Offset.kind]
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
