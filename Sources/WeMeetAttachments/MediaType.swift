/// The media type of an upload the user did not name one for: from its first bytes, then
/// its file name's extension.
package enum MediaType {
    private static let byExtension: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
        "heic": "image/heic", "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm",
        "m4a": "audio/mp4", "aac": "audio/aac", "mp3": "audio/mpeg", "ogg": "audio/ogg", "opus": "audio/ogg",
        "wav": "audio/wav", "pdf": "application/pdf", "txt": "text/plain", "zip": "application/zip",
    ]

    package static func guess(name: String, head: [UInt8]) -> String {
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return name.contains(".") ? byExtension[ext] ?? "application/octet-stream" : "application/octet-stream"
    }
}

/// An image's size in pixels, read from a PNG's IHDR or a JPEG's first SOF marker.
package struct ImageSize: Equatable, Sendable {
    package var width: Int
    package var height: Int

    package init?(_ head: [UInt8]) {
        func be(_ at: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 << 8 | Int(head[at + $1]) } }
        if head.count >= 24, head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            width = be(16, 4)
            height = be(20, 4)
            return
        }
        guard head.count >= 4, head[0] == 0xFF, head[1] == 0xD8 else { return nil }
        var at = 2
        while at + 9 < head.count {
            guard head[at] == 0xFF else { return nil }
            let marker = head[at + 1]
            let length = be(at + 2, 2)
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                height = be(at + 5, 2)
                width = be(at + 7, 2)
                return
            }
            at += 2 + length
        }
        return nil
    }
}
