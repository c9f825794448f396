import Foundation

/// The media types a screen may show in place (API.md, "Attachment content"): raster
/// images, audio and video, which a browser decodes and never runs. Everything else a peer
/// sends — HTML, SVG, XML, JavaScript, CSS, PDF, any type it makes up — is only ever a
/// download, whatever its reference claims.
public enum PassiveMedia {
    /// Types shown in place, by their essence (lower case, no parameters).
    public static let inlineTypes: Set<String> = [
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
        "audio/mpeg", "audio/mp4", "audio/aac", "audio/ogg", "audio/opus", "audio/wav", "audio/webm", "audio/flac",
        "video/mp4", "video/webm", "video/ogg",
    ]

    /// A claimed media type's essence: `Image/PNG; x=y` is `image/png`.
    public static func essence(_ type: String) -> String {
        String(type.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The type to serve a peer's bytes as in place, or nil: served only as a download
    /// (`application/octet-stream`, `Content-Disposition: attachment`).
    public static func inlineType(_ claimed: String) -> String? {
        let essence = essence(claimed)
        return inlineTypes.contains(essence) ? essence : nil
    }

    /// The policy on every answer that carries a peer's bytes: no script, no style, no
    /// frame, no plugin, and a sandbox (an opaque origin) should a browser render it anyway.
    public static let contentSecurityPolicy =
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"

    /// A `Content-Disposition` value: `attachment` (or `inline`) with the name as an ASCII
    /// fallback (quotes, backslashes, controls and non-ASCII as `_`) and RFC 5987's UTF-8 form.
    public static func disposition(_ name: String, inline: Bool) -> String {
        let ascii = String(
            name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\"
                    ? Character(scalar) : "_"
            })
        var allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        allowed.remove(UInt8(ascii: "%"))
        let encoded = name.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
        return (inline ? "inline" : "attachment") + "; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
