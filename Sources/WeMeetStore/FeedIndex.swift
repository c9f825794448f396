/// What the store keeps in memory about one feed: where each entry is in the log, when it
/// was written, and the head a new entry must chain to. About 48 bytes per entry.
struct FeedIndex: Sendable {
    var feed: Feed
    /// Log offset of entry seq `i + 1`.
    var offsets: [UInt64] = []
    /// Author timestamp of entry seq `i + 1`.
    var timestamps: [UInt64] = []
    /// Entry IDs, 32 bytes each, flattened.
    var ids: [UInt8] = []
    /// Set when a fork was seen: nothing more is accepted for this feed.
    var frozen = false
    /// Bytes of the feed's entries (their encodings, §7.1), for storage quotas.
    var bytes: UInt64 = 0

    init(feed: Feed) {
        self.feed = feed
    }

    var headSeq: UInt64 { UInt64(offsets.count) }

    var headID: EntryID {
        offsets.isEmpty ? .zero : id(ofSeq: headSeq)
    }

    /// Whether `bytes` is the head's ID (all zeros for an empty feed), without allocating.
    func headIDEquals(_ bytes: ArraySlice<UInt8>) -> Bool {
        if offsets.isEmpty { return bytes.allSatisfy { $0 == 0 } }
        return ids[(ids.count - 32)...].elementsEqual(bytes)
    }

    func id(ofSeq seq: UInt64) -> EntryID {
        let start = Int(seq - 1) * 32
        return EntryID(rawValue: Array(ids[start..<start + 32]))
    }

    mutating func add(offset: UInt64, timestamp: UInt64, id: EntryID, length: Int) {
        add(offset: offset, timestamp: timestamp, checksum: id.rawValue[...], length: length)
    }

    /// Adds an entry of `length` bytes whose ID is `checksum` (a log record's checksum is its
    /// entry's ID).
    mutating func add(offset: UInt64, timestamp: UInt64, checksum: ArraySlice<UInt8>, length: Int) {
        bytes += UInt64(length)
        offsets.append(offset)
        timestamps.append(timestamp)
        ids.append(contentsOf: checksum)
    }
}
