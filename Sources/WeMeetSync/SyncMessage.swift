import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Sync messages on a secure channel (Protocol.md §8.2). Each is one application message
/// whose first byte is its type (0x10–0x1F); integers are big-endian.
public enum SyncMessage: Equatable, Sendable {
    /// One feed a node offers: its name (author, kind, audience) and how far the node has it.
    public struct Offer: Equatable, Sendable {
        public var feed: Feed
        public var head: UInt64

        public init(feed: Feed, head: UInt64) {
            self.feed = feed
            self.head = head
        }
    }

    /// `0x10 ‖ u16 n ‖ n × (author[32] ‖ kind u8 ‖ audience[32] ‖ head u64)`:
    /// feeds the sender may give the receiver, and their heads.
    case offer([Offer])
    /// `0x11 ‖ u16 n ‖ n × (feed ID[32] ‖ have u64)`: "send me this feed after `have`, and keep
    /// sending as it grows".
    case want([(feed: FeedID, have: UInt64)])
    /// `0x12 ‖ u16 n ‖ n × (u32 length ‖ entry)`: entries (§7.1), in seq order per feed.
    case entries([[UInt8]])
    /// `0x13 ‖ u32 bytes`: entry bytes the receiver has made durable (returns send credit).
    case ack(UInt32)
    /// `0x14 ‖ feed ID[32] ‖ seq u64 ‖ u8 reason ‖ u16 length ‖ UTF-8`: an entry or request refused.
    case reject(feed: FeedID, seq: UInt64, reason: RejectReason, message: String)

    /// Why a sync item was refused (Protocol.md §8.2): a machine-readable code; the text
    /// beside it is for people. Codes this version does not know are kept as they are and
    /// treated as a refusal, so a newer peer's codes never break the channel.
    public struct RejectReason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The entry does not decode (§7.1), or is not a valid encoding.
        public static let malformed = RejectReason(rawValue: 1)
        /// The sender may not give (or ask for) this feed.
        public static let notAuthorised = RejectReason(rawValue: 2)
        /// The requested feed is unknown here.
        public static let unknownFeed = RejectReason(rawValue: 3)
        /// Storing it would break one of the receiver's storage quotas (§8.4); the text
        /// names the quota. Sending more of that feed is pointless until the user raises it.
        public static let quota = RejectReason(rawValue: 4)
        /// The entry is over the size limits (§7.1).
        public static let tooLarge = RejectReason(rawValue: 5)
        /// The signature does not verify.
        public static let badSignature = RejectReason(rawValue: 6)
        /// The seq is not the receiver's head + 1.
        public static let gap = RejectReason(rawValue: 7)
        /// `previous` is not the ID of the receiver's latest entry of the feed.
        public static let wrongPrevious = RejectReason(rawValue: 8)
        /// A different entry for a seq already held: the author signed two histories (§7.3).
        public static let fork = RejectReason(rawValue: 9)
        /// The feed is frozen after a fork; nothing more is taken.
        public static let frozen = RejectReason(rawValue: 10)

        /// The code for a store's refusal of an entry (§7.3's reasons).
        public init(_ code: StoreError.Code) {
            switch code {
            case .tooLarge: self = .tooLarge
            case .badSignature: self = .badSignature
            case .gap: self = .gap
            case .wrongPrevious: self = .wrongPrevious
            case .fork: self = .fork
            case .frozen: self = .frozen
            default: self = .malformed
            }
        }

        public var description: String {
            switch self {
            case .malformed: "malformed"
            case .notAuthorised: "not authorised"
            case .unknownFeed: "unknown feed"
            case .quota: "quota"
            case .tooLarge: "too large"
            case .badSignature: "bad signature"
            case .gap: "gap"
            case .wrongPrevious: "wrong previous"
            case .fork: "fork"
            case .frozen: "frozen"
            default: "reason \(rawValue)"
            }
        }
    }

    /// Application message types 0x10–0x1F belong to sync.
    public static func isSync(_ type: UInt8) -> Bool { (0x10...0x1F).contains(type) }

    /// Bytes of one offer item.
    package static let offerItemLength = 32 + 1 + 32 + 8
    /// Bytes of one want item.
    package static let wantItemLength = 32 + 8
    /// Items per offer or want message (keeps each well under the channel's message limit).
    package static let maximumItems = 4096
    /// Entries per ENTRIES message.
    public static let maximumEntries = 1024
    /// Bytes of entries (their encodings, without the length prefixes) per ENTRIES message.
    public static let maximumEntryBytes = 256 << 10

    public static func == (lhs: SyncMessage, rhs: SyncMessage) -> Bool { lhs.bytes == rhs.bytes }

    /// The message's encoding.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .offer(let items):
            out.append(0x10)
            out.appendBigEndian(UInt16(items.count))
            for item in items {
                out += item.feed.author.rawRepresentation
                out.append(item.feed.kind.rawValue)
                out += item.feed.audience
                out.appendBigEndian(item.head)
            }
        case .want(let items):
            out.append(0x11)
            out.appendBigEndian(UInt16(items.count))
            for item in items {
                out += item.feed.rawValue
                out.appendBigEndian(item.have)
            }
        case .entries(let entries):
            out.reserveCapacity(3 + entries.reduce(0) { $0 + 4 + $1.count })
            out.append(0x12)
            out.appendBigEndian(UInt16(entries.count))
            for entry in entries {
                out.appendBigEndian(UInt32(entry.count))
                out += entry
            }
        case .ack(let bytes):
            out.append(0x13)
            out.appendBigEndian(bytes)
        case .reject(let feed, let seq, let reason, let message):
            out.append(0x14)
            out += feed.rawValue
            out.appendBigEndian(seq)
            out.append(reason.rawValue)
            let text = Array(message.utf8.prefix(1024))
            out.appendBigEndian(UInt16(text.count))
            out += text
        }
        return out
    }

    /// Parses a message; the error says what is wrong with it.
    public init(bytes: [UInt8]) throws(NodeError) {
        var reader = Reader(bytes: bytes)
        let type = try reader.u8()
        switch type {
        case 0x10:
            let count = Int(try reader.u16())
            guard count <= Self.maximumItems else { throw reader.invalid("offer of \(count) feeds, over 4096") }
            var items: [Offer] = []
            for _ in 0..<count {
                let author: Ed25519.PublicKey
                do { author = try Ed25519.PublicKey(rawRepresentation: try reader.take(32)) } catch {
                    throw reader.invalid("offer: bad author key")
                }
                let kind = Feed.Kind(rawValue: try reader.u8())
                let audience = try reader.take(32)
                items.append(Offer(feed: Feed(author: author, kind: kind, audience: audience), head: try reader.u64()))
            }
            self = .offer(items)
        case 0x11:
            let count = Int(try reader.u16())
            guard count <= Self.maximumItems else { throw reader.invalid("want of \(count) feeds, over 4096") }
            var items: [(feed: FeedID, have: UInt64)] = []
            for _ in 0..<count {
                let feed = try reader.feedID()
                items.append((feed, try reader.u64()))
            }
            self = .want(items)
        case 0x12:
            // The message's own limits are structural (a sender never exceeds them); an entry
            // over the entry size limit is the entry's fault, REJECTed on ingest (§8.3).
            let count = Int(try reader.u16())
            guard count <= Self.maximumEntries else {
                throw reader.invalid("entries message of \(count) entries, over \(Self.maximumEntries)")
            }
            var entries: [[UInt8]] = []
            var total = 0
            for _ in 0..<count {
                let length = Int(try reader.u32())
                total += length
                guard total <= Self.maximumEntryBytes else {
                    throw reader.invalid("entries message of over \(Self.maximumEntryBytes) bytes of entries")
                }
                entries.append(try reader.take(length))
            }
            self = .entries(entries)
        case 0x13:
            self = .ack(try reader.u32())
        case 0x14:
            let feed = try reader.feedID()
            let seq = try reader.u64()
            let reason = RejectReason(rawValue: try reader.u8())
            let length = Int(try reader.u16())
            guard length <= 1024 else { throw reader.invalid("reject reason of \(length) bytes, over 1024") }
            guard let message = String(validating: try reader.take(length), as: UTF8.self) else {
                throw reader.invalid("reject reason is not UTF-8")
            }
            self = .reject(feed: feed, seq: seq, reason: reason, message: message)
        default:
            throw reader.invalid("unknown type 0x\(Hex.encode([type]))")
        }
        guard reader.remaining == 0 else { throw reader.invalid("\(reader.remaining) bytes after the message") }
    }

    /// A bounds-checked big-endian reader whose errors are protocol violations.
    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var remaining: Int { bytes.count - offset }

        func invalid(_ why: String) -> NodeError {
            NodeError(code: .protocolViolation, message: "invalid sync message: \(why)")
        }

        mutating func take(_ count: Int) throws(NodeError) -> [UInt8] {
            guard count <= remaining else {
                throw invalid("truncated: needed \(count) bytes at offset \(offset), had \(remaining)")
            }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func u8() throws(NodeError) -> UInt8 { try take(1)[0] }

        mutating func feedID() throws(NodeError) -> FeedID {
            let raw = try take(32)
            guard let feed = try? FeedID(rawValue: raw) else { throw invalid("bad feed ID") }
            return feed
        }

        mutating func u16() throws(NodeError) -> UInt16 {
            try take(2).reduce(0) { $0 << 8 | UInt16($1) }
        }

        mutating func u32() throws(NodeError) -> UInt32 {
            try take(4).reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func u64() throws(NodeError) -> UInt64 {
            try take(8).reduce(0) { $0 << 8 | UInt64($1) }
        }
    }
}
