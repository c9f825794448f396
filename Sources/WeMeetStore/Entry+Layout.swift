extension Entry {
    /// Where each field of an encoded entry starts (Protocol.md §7.1): `version u8 ‖ author[32]
    /// ‖ kind u8 ‖ audience[32] ‖ seq u64 ‖ previous[32] ‖ timestamp u64 ‖ content type u16 ‖
    /// payload length u32 ‖ payload ‖ signature[64]`. The decoder and the store's start-up
    /// scan (which reads headers without decoding whole entries) both read these.
    package enum Offset {
        package static let version = 0
        package static let author = 1
        package static let kind = 33
        package static let audience = 34
        package static let seq = 66
        package static let previous = 74
        package static let timestamp = 106
        package static let contentType = 114
        package static let payloadLength = 116
        /// The payload follows the header.
        package static let payload = Entry.headerLength
    }

    /// The range of `field`, `length` bytes long, in an entry starting at `base`.
    package static func range(_ field: Int, length: Int, base: Int = 0) -> Range<Int> {
        (base + field)..<(base + field + length)
    }
}
