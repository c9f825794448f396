/// Big-endian encoding helpers for the channel's binary formats.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xff))
    }

    mutating func bytes(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    /// `u8 length ‖ UTF-8`, truncated to 255 bytes.
    mutating func shortString(_ text: String) {
        let data = Array(text.utf8.prefix(255))
        u8(UInt8(data.count))
        bytes(data)
    }
}

/// Reads big-endian fields, throwing ``Failure`` (with what was missing) instead of trapping.
struct ByteReader {
    struct Failure: Error {
        var message: String
    }

    private var data: ArraySlice<UInt8>

    init(_ data: [UInt8]) { self.data = data[...] }

    var remaining: Int { data.count }

    mutating func u8() throws(Failure) -> UInt8 {
        guard let first = data.first else { throw Failure(message: "truncated") }
        data = data.dropFirst()
        return first
    }

    mutating func u16() throws(Failure) -> UInt16 {
        UInt16(try u8()) << 8 | UInt16(try u8())
    }

    mutating func bytes(_ count: Int) throws(Failure) -> [UInt8] {
        guard data.count >= count else { throw Failure(message: "truncated: needed \(count) bytes, had \(data.count)") }
        defer { data = data.dropFirst(count) }
        return Array(data.prefix(count))
    }

    /// `u8 length ‖ UTF-8`; invalid UTF-8 is refused.
    mutating func shortString() throws(Failure) -> String {
        let length = Int(try u8())
        let raw = try bytes(length)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw Failure(message: "name is not valid UTF-8")
        }
        return text
    }
}
