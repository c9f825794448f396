import Foundation

/// What `--voice PATH` must be: an audio file, recognised by its first bytes (a photo or a
/// document is refused before anything is sent), and its length when the file says it (WAV).
struct VoiceFile {
    /// The audio formats a voice note may be in, by their first bytes.
    static func isAudio(_ head: [UInt8]) -> Bool {
        func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
        }
        if starts(Array("OggS".utf8)) || starts(Array("fLaC".utf8)) || starts(Array("ID3".utf8)) { return true }
        if starts(Array("RIFF".utf8)) && starts(Array("WAVE".utf8), at: 8) { return true }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) { return true }  // WebM
        if starts(Array("ftyp".utf8), at: 4) {  // MP4 audio (M4A, AAC), not video
            let brand = head.count >= 12 ? String(decoding: head[8..<12], as: UTF8.self) : ""
            return ["M4A ", "M4B ", "mp42", "isom", "dash"].contains(brand)
        }
        // MPEG audio and AAC (ADTS) frames.
        return head.count >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0
    }

    /// A WAV file's length in milliseconds, from its header (nil if it does not say).
    static func wavDuration(_ head: [UInt8]) -> UInt64? {
        func u32(_ at: Int) -> UInt64 {
            (0..<4).reduce(0) { $0 | UInt64(head[at + $1]) << (8 * UInt64($1)) }
        }
        guard head.count >= 44, Array(head[0..<4]) == Array("RIFF".utf8), Array(head[8..<12]) == Array("WAVE".utf8)
        else { return nil }
        var at = 12
        var byteRate: UInt64 = 0
        while at + 8 <= head.count {
            let id = String(decoding: head[at..<at + 4], as: UTF8.self)
            let size = u32(at + 4)
            if id == "fmt ", at + 16 <= head.count { byteRate = u32(at + 8 + 8) }
            if id == "data" { return byteRate > 0 ? size * 1000 / byteRate : nil }
            at += 8 + Int(size) + Int(size & 1)
        }
        return nil
    }

    /// The first 4 KiB of the file at `path`.
    static func head(_ path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: 4096)) ?? Data())
    }
}
