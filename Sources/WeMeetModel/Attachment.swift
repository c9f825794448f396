import Foundation
import WeMeetCrypto

/// An attachment as a message or post shows it: what the sender said the file is. The
/// state of its blob on this node is ``AttachmentStatus`` (`wemeet attachments`).
public struct Attachment: Codable, Sendable, Equatable {
    /// The blob ID (hex): `wemeet attachment save` takes it, or its first 8 digits.
    public var id: String
    /// The file name the sender gave (a peer's claim: shown escaped, never used as a path).
    public var name: String
    /// The plaintext size in bytes.
    public var size: UInt64
    /// The media type the sender gave (`image/jpeg`, `audio/ogg`, …).
    public var mediaType: String
    /// A voice note.
    public var voice: Bool?
    /// A voice note's length, when the sender knew it.
    public var durationMs: UInt64?
    /// An image's size in pixels, when the sender knew it.
    public var width: Int?
    public var height: Int?

    public init(
        id: String, name: String, size: UInt64, mediaType: String, voice: Bool? = nil, durationMs: UInt64? = nil,
        width: Int? = nil, height: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.size = size
        self.mediaType = mediaType
        self.voice = voice
        self.durationMs = durationMs
        self.width = width
        self.height = height
    }

    /// What it is, in a word: `photo`, `voice`, `video`, `audio` or `file`.
    public var label: String {
        if voice == true { return "voice" }
        if mediaType.hasPrefix("image/") { return "photo" }
        if mediaType.hasPrefix("video/") { return "video" }
        if mediaType.hasPrefix("audio/") { return "audio" }
        return "file"
    }
}

/// One attachment this node knows, with the state of its blob here (`wemeet attachments`,
/// `GET /v1/attachments`).
public struct AttachmentStatus: Codable, Sendable, Equatable {
    /// Where the blob stands on this node.
    public enum State: String, Codable, Sendable, CustomStringConvertible {
        public var description: String { rawValue }

        /// Every chunk is here, verified and durable.
        case complete
        /// Chunks are arriving (`bytes`, `percent`).
        case fetching
        /// Wanted, but no holder that may serve it is online (or the disk is full: `reason`).
        case waiting
        /// Over the automatic size: fetched when asked (`wemeet attachment save`).
        case onDemand = "on-demand"
        /// Past a quota (`reason`): not fetched.
        case refused
    }

    public var attachment: Attachment
    /// The node that wrote the entry carrying it.
    public var from: NodeID
    public var state: State
    /// Verified bytes held (of the sealed blob's plaintext).
    public var bytes: UInt64
    public var percent: Double
    /// Why a fetch waits or was refused.
    public var reason: String?

    public init(
        attachment: Attachment, from: NodeID, state: State, bytes: UInt64, percent: Double, reason: String? = nil
    ) {
        self.attachment = attachment
        self.from = from
        self.state = state
        self.bytes = bytes
        self.percent = percent
        self.reason = reason
    }
}

/// The answer of `GET /v1/attachments`.
public struct AttachmentList: Codable, Sendable, Equatable {
    public var attachments: [AttachmentStatus]
    /// Blob bytes (sealed chunks) this node sent to others since it started.
    public var servedBytes: UInt64
    /// Blob bytes (sealed chunks) this node received since it started, bad ones included.
    public var fetchedBytes: UInt64

    public init(attachments: [AttachmentStatus], servedBytes: UInt64, fetchedBytes: UInt64) {
        self.attachments = attachments
        self.servedBytes = servedBytes
        self.fetchedBytes = fetchedBytes
    }
}
