/// What the store keeps in memory about one feed: where each entry is in the log, when it
/// was written, its content type, and the head a new entry must chain to. About 50 bytes per
/// entry.
package struct FeedIndex: Sendable {
    package var feed: Feed
    /// Log offset of entry seq `i + 1`.
    package var offsets: [UInt64] = []
    /// Author timestamp of entry seq `i + 1`.
    package var timestamps: [UInt64] = []
    /// Content type of entry seq `i + 1` (in the clear in every entry, §7.1): views skip
    /// what they do not show without reading it.
    package var contentTypes: [UInt16] = []
    /// Entry IDs, 32 bytes each, flattened.
    package var ids: [UInt8] = []
    /// Set when a fork was seen: nothing more is accepted for this feed.
    package var frozen = false
    /// Bytes of the feed's entries (their encodings, §7.1), for storage quotas.
    package var bytes: UInt64 = 0

    package init(feed: Feed) {
        self.feed = feed
    }

    package var headSeq: UInt64 { UInt64(offsets.count) }

    package var headID: EntryID {
        offsets.isEmpty ? .zero : id(ofSeq: headSeq)
    }

    /// Whether `bytes` is the head's ID (all zeros for an empty feed), without allocating.
    package func headIDEquals(_ bytes: ArraySlice<UInt8>) -> Bool {
        if offsets.isEmpty { return bytes.allSatisfy { $0 == 0 } }
        return ids[(ids.count - 32)...].elementsEqual(bytes)
    }

    /// How many entries lie before log offset `offset` (offsets grow with seq): the seq of
    /// the last of them.
    package func count(before offset: UInt64) -> Int {
        var low = 0
        var high = offsets.count
        while low < high {
            let middle = (low + high) / 2
            if offsets[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    package func id(ofSeq seq: UInt64) -> EntryID {
        let start = Int(seq - 1) * 32
        return EntryID(rawValue: Array(ids[start..<start + 32]))
    }

    package mutating func add(offset: UInt64, timestamp: UInt64, contentType: UInt16, id: EntryID, length: Int) {
        add(offset: offset, timestamp: timestamp, contentType: contentType, checksum: id.rawValue[...], length: length)
    }

    /// Adds an entry of `length` bytes whose ID is `checksum` (a log record's checksum is its
    /// entry's ID).
    package mutating func add(
        offset: UInt64, timestamp: UInt64, contentType: UInt16, checksum: ArraySlice<UInt8>, length: Int
    ) {
        bytes += UInt64(length)
        offsets.append(offset)
        timestamps.append(timestamp)
        contentTypes.append(contentType)
        ids.append(contentsOf: checksum)
    }
}
