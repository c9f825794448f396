import Foundation
import WeMeetCrypto
import WeMeetModel
import WeMeetStore
import WeMeetSync

extension Attachments {
    /// A friend asks this node, which relays for its reader, to keep blobs of its mail in
    /// `feed` (HOLD, Protocol.md §8.5; the caller checked who may ask): each is fetched from
    /// the author like any, without a key — sealed it stays — and served to the reader. The
    /// hold is catalogued (it outlives a restart) and ends ``holdTime`` after it began, by
    /// this node's clock, or when relaying is turned off (``releaseHeld(before:)``).
    package func hold(_ blobs: [(id: BlobID, size: UInt64)], of feed: Feed) async {
        let now = clock.milliseconds
        for (id, size) in blobs {
            guard !(records[id]?.feeds.contains(feed) ?? false) else { continue }
            noteHeld(id, size: size, of: feed, at: now)
            append(
                Line(
                    ref: Self.placeholder(id, size: size), author: NodeID(publicKey: feed.author).description,
                    kind: feed.kind.rawValue, audience: Hex.encode(feed.audience), held: now))
            if let record = records[id], !record.complete { await start(id) }
        }
    }

    /// Notes a held blob (a HOLD now, or a catalogue line at start-up).
    func noteHeld(_ id: BlobID, size: UInt64, of feed: Feed, at time: UInt64) {
        if var record = records[id] {
            record.feeds.insert(feed)
            if record.relayed { record.heldAt = min(record.heldAt ?? time, time) }
            records[id] = record
            return
        }
        let placeholder = Self.placeholder(id, size: size)
        var record = Record(
            reference: placeholder, id: id, key: SymmetricKey(prefixOf: Self.noKey),
            from: NodeID(publicKey: feed.author))
        record.feeds = [feed]
        record.relayed = true
        record.heldAt = time
        record.requested = true
        record.keySettled = true
        record.complete = FileManager.default.fileExists(atPath: path(id))
        records[id] = record
    }

    /// Drops the blobs held for friends' readers since before `cutoff` (ms, this node's
    /// clock), or all of them (nil: relaying was turned off): their files, fetches and quota.
    /// Returns how many were dropped.
    @discardableResult
    package func releaseHeld(before cutoff: UInt64?) async -> Int {
        let old = records.values.filter { record in
            record.relayed && cutoff.map { (record.heldAt ?? 0) < $0 } ?? true
        }
        for record in old {
            if let fetch = fetches.removeValue(forKey: record.id) { fetch.file?.close() }
            for suffix in ["", ".part", ".hashes"] { unlink(path(record.id) + suffix) }
            if admitted.remove(record.id) != nil {
                await quotas.releaseBlob(author: record.from, bytes: record.reference.size)
            }
            records[record.id] = nil
            append(Line(ref: record.reference, released: true))
        }
        if !old.isEmpty { logger.info("dropped blobs held for friends", metadata: ["count": "\(old.count)"]) }
        return old.count
    }

    /// A held blob's key: none (all zeros).
    static let noKey = [UInt8](repeating: 0, count: 32)

    /// The reference a held blob is known by: its ID and size, no key (the relay has none).
    static func placeholder(_ id: BlobID, size: UInt64) -> AttachmentReference {
        AttachmentReference(
            id: id, key: SymmetricKey(prefixOf: noKey), size: size,
            type: "application/octet-stream", name: "held")
    }
}
