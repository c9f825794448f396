import WeMeetCrypto
import WeMeetStore

extension Store {
    /// The entries a member holding `key` writes next in its `feed`, after what this store
    /// holds of it — as a hostile peer crafts them: each (content type, body) in order,
    /// chained, signed, and dated a second apart from `timestamp`.
    package func nextEntries(
        of feed: Feed, key: Ed25519.PrivateKey, _ bodies: [(UInt16, String)],
        timestamp: UInt64 = 1_700_000_000_000
    ) async throws -> [Entry] {
        let head = self.head(of: feed.id)
        var previous = head == 0 ? EntryID.zero : try entries(of: feed.id, seqs: head...head).first?.id ?? .zero
        var out: [Entry] = []
        for (index, (contentType, body)) in bodies.enumerated() {
            let entry = try Entry(
                feed: feed, seq: head + UInt64(index) + 1, previous: previous,
                timestamp: timestamp + UInt64(index) * 1000, contentType: contentType, payload: Array(body.utf8),
                signedBy: key)
            previous = entry.id
            out.append(entry)
        }
        return out
    }
}
