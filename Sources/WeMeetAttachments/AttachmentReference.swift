import Foundation
import WeMeetCrypto
import WeMeetModel

/// What an entry says about one attachment (Protocol.md §13.2): inside the sealed payload
/// wherever the entry is sealed, so only its audience learns the key, name and type. JSON
/// with sorted keys; `name` and `type` are the sender's claims.
package struct AttachmentReference: Codable, Sendable, Equatable {
    /// The blob ID, hex.
    package var id: String
    /// The blob's key, hex (32 bytes).
    package var key: String
    /// Plaintext bytes.
    package var size: UInt64
    /// Media type.
    package var type: String
    /// File name (no directories).
    package var name: String
    package var voice: Bool?
    package var durationMs: UInt64?
    package var width: Int?
    package var height: Int?

    /// The most attachments one entry carries.
    package static let maximumPerEntry = 16
    /// The longest name and media type, in UTF-8 bytes.
    package static let maximumNameBytes = 255

    package enum CodingKeys: String, CodingKey {
        case id, key, size, type, name, voice, width, height
        case durationMs = "duration_ms"
    }

    package init(
        id: BlobID, key: SymmetricKey, size: UInt64, type: String, name: String, voice: Bool? = nil,
        durationMs: UInt64? = nil, width: Int? = nil, height: Int? = nil
    ) {
        self.id = id.description
        self.key = key.secret.withUnsafeBytes { Hex.encode($0) }
        self.size = size
        self.type = type
        self.name = name
        self.voice = voice
        self.durationMs = durationMs
        self.width = width
        self.height = height
    }

    /// The blob ID, or an error for a reference a peer made up badly.
    package func blobID() throws(AttachmentError) -> BlobID { try BlobID(hex: id) }

    /// The blob key.
    package func blobKey() throws(AttachmentError) -> SymmetricKey {
        guard let bytes = try? Hex.decode(key), let key = try? SymmetricKey(bytes: bytes) else {
            throw AttachmentError(code: .malformed, message: "an attachment key is 64 hex digits")
        }
        return key
    }

    /// Checks what a peer wrote: an ID and key that decode, a name and type of sane length.
    package func validate() throws(AttachmentError) {
        _ = try blobID()
        _ = try blobKey()
        guard !name.isEmpty, name.utf8.count <= Self.maximumNameBytes, type.utf8.count <= Self.maximumNameBytes
        else {
            throw AttachmentError(code: .malformed, message: "an attachment's name or type is empty or too long")
        }
    }

    /// The view messages and posts show.
    package var view: Attachment {
        Attachment(
            id: id, name: name, size: size, mediaType: type, voice: voice, durationMs: durationMs, width: width,
            height: height)
    }
}
