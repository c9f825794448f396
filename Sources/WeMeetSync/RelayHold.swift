import Foundation
import Logging
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Mail this node holds for its friends (Protocol.md §8.5): sealed direct feeds between two
/// of its friends, kept apart from the node's own store so they can be dropped — when the
/// reader has them, after the hold time, or when the user stops relaying. One file per feed
/// in `relay/` of the home (`u32 length ‖ entry` records), read into an index at start-up.
///
/// A held feed may start at any seq: the depositor sends what its reader has not
/// acknowledged, so the first entry held is the anchor and the ones after it must chain to
/// it. The reader checks the whole chain against its own, so a relay can drop or delay
/// mail but never forge, reorder or alter it.
package actor RelayHold {
    /// The hold's bounds (§8.5).
    package struct Limits: Sendable, Equatable {
        /// Bytes of one author's held entries.
        package var authorBytes: UInt64
        /// Bytes of all held entries.
        package var totalBytes: UInt64
        /// How long a feed is kept after its last deposit, by this node's clock (ms).
        package var holdMilliseconds: UInt64

        package static let defaults = Limits(
            authorBytes: 64 << 20, totalBytes: 1 << 30, holdMilliseconds: 7 * 24 * 3600 * 1000)

        package init(authorBytes: UInt64, totalBytes: UInt64, holdMilliseconds: UInt64) {
            self.authorBytes = authorBytes
            self.totalBytes = totalBytes
            self.holdMilliseconds = holdMilliseconds
        }
    }

    /// Why a deposited entry was not held.
    package enum Refusal: Error, Equatable, Sendable {
        /// Past a limit of the hold: `author_bytes` or `total_bytes`.
        case quota(String)
        /// Not valid where it would go (§7.3): its store error.
        case invalid(StoreError)
    }

    /// One held feed.
    private struct Held {
        var feed: Feed
        /// The first seq held (the anchor) and the last.
        var first: UInt64
        var head: UInt64
        var lastID: EntryID
        /// File offset and length of each held entry, by `seq - first`.
        var records: [(offset: UInt64, length: Int)]
        var bytes: UInt64
        /// When it was last deposited to, by this node's clock (ms).
        var lastDeposit: UInt64
        var end: UInt64
    }

    private let directory: String
    private let clock: WallClock
    private let logger: Logger
    package private(set) var limits: Limits
    private var held: [FeedID: Held] = [:]
    /// The highest seq each reader acknowledged of a feed no longer held (so a new deposit
    /// starts after it). Kept in `acks`.
    private var acked: [FeedID: UInt64] = [:]
    private var authorBytes: [Ed25519.PublicKey: UInt64] = [:]
    private var totalBytes: UInt64 = 0

    private var acksPath: String { directory + "/acks" }

    /// Opens the hold in `directory` (created 0700 if missing), reading what it holds; a torn
    /// record at the end of a file is cut, a file that does not read is dropped (it is only
    /// a copy: its author still has it).
    package init(directory: String, limits: Limits = .defaults, clock: WallClock = .system, logger: Logger) {
        self.directory = directory
        self.limits = limits
        self.clock = clock
        self.logger = logger
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let data = FileManager.default.contents(atPath: directory + "/acks"),
            let saved = try? JSONDecoder().decode([String: UInt64].self, from: data)
        {
            for (hex, seq) in saved { if let id = try? FeedID(hex: hex) { acked[id] = seq } }
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.count == 64 {
            guard let id = try? FeedID(hex: name) else { continue }
            if let feed = Self.load(path: directory + "/" + name, id: id, logger: logger) {
                held[id] = feed
                authorBytes[feed.feed.author, default: 0] += feed.bytes
                totalBytes += feed.bytes
            } else {
                try? FileManager.default.removeItem(atPath: directory + "/" + name)
            }
        }
    }

    private static func load(path: String, id: FeedID, logger: Logger) -> Held? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        var offset = 0
        var feed: Held?
        while offset + 4 <= bytes.count {
            let length = Int(bytes.readBigEndian(at: offset, as: UInt32.self))
            guard offset + 4 + length <= bytes.count,
                let entry = try? Entry(decoding: bytes[offset + 4..<offset + 4 + length]), entry.feedID == id
            else { break }
            if var current = feed {
                guard entry.seq == current.head + 1, entry.previous == current.lastID else { break }
                current.head = entry.seq
                current.lastID = entry.id
                current.records.append((UInt64(offset + 4), length))
                current.bytes += UInt64(length)
                feed = current
            } else {
                feed = Held(
                    feed: entry.feed, first: entry.seq, head: entry.seq, lastID: entry.id,
                    records: [(UInt64(offset + 4), length)], bytes: UInt64(length), lastDeposit: 0, end: 0)
            }
            offset += 4 + length
        }
        guard var feed else { return nil }
        if offset < bytes.count {
            logger.warning(
                "cutting a torn tail of a relayed feed",
                metadata: ["feed": "\(id)", "bytes": "\(bytes.count - offset)"])
            truncate(path, to: UInt64(offset))
        }
        feed.end = UInt64(offset)
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
        feed.lastDeposit = UInt64(max(0, (modified ?? Date()).timeIntervalSince1970 * 1000))
        return feed
    }

    private static func truncate(_ path: String, to offset: UInt64) {
        guard let handle = FileHandle(forUpdatingAtPath: path) else { return }
        try? handle.truncate(atOffset: offset)
        try? handle.close()
    }

    // MARK: Reading

    /// Whether `id` is held here.
    package func holds(_ id: FeedID) -> Bool { held[id] != nil }

    /// The held feed `id`.
    package func feed(_ id: FeedID) -> Feed? { held[id]?.feed }

    /// The seq a depositor goes on from: the last held, else the last its reader acknowledged.
    package func head(of id: FeedID) -> UInt64 { held[id]?.head ?? acked[id] ?? 0 }

    /// Every held feed with its head.
    package func allFeeds() -> [(feed: Feed, head: UInt64)] { held.values.map { ($0.feed, $0.head) } }

    /// Held entries of `id` in `seqs` (those not held are left out).
    package func entries(of id: FeedID, seqs: ClosedRange<UInt64>) throws(StoreError) -> [Entry] {
        guard let feed = held[id], seqs.upperBound >= feed.first, seqs.lowerBound <= feed.head else {
            throw StoreError(code: .io, message: "seqs \(seqs) of relayed feed \(id) are not held")
        }
        guard let handle = FileHandle(forReadingAtPath: directory + "/" + id.description) else {
            throw StoreError(code: .io, message: "cannot open relayed feed \(id)")
        }
        defer { try? handle.close() }
        var out: [Entry] = []
        for seq in max(seqs.lowerBound, feed.first)...min(seqs.upperBound, feed.head) {
            let record = feed.records[Int(seq - feed.first)]
            do {
                try handle.seek(toOffset: record.offset)
                guard let data = try handle.read(upToCount: record.length), data.count == record.length else {
                    throw StoreError(code: .io, message: "relayed feed \(id) is short at seq \(seq)")
                }
                out.append(try Entry(decoding: [UInt8](data)))
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(code: .io, message: "cannot read relayed feed \(id): \(error)")
            }
        }
        return out
    }

    /// What is held, for `wemeet status`.
    package func usage() -> NodeStatus.Relay {
        let list = held.values.compactMap { feed -> NodeStatus.Relay.Held? in
            guard let reader = try? Ed25519.PublicKey(rawRepresentation: feed.feed.audience) else { return nil }
            return NodeStatus.Relay.Held(
                author: NodeID(publicKey: feed.feed.author), reader: NodeID(publicKey: reader), first: feed.first,
                head: feed.head, bytes: feed.bytes)
        }
        return NodeStatus.Relay(
            feeds: held.count, bytes: totalBytes, authorLimit: limits.authorBytes, totalLimit: limits.totalBytes,
            holdSeconds: limits.holdMilliseconds / 1000,
            held: list.sorted { ($0.author, $0.reader) < ($1.author, $1.reader) })
    }

    // MARK: Writing

    /// Holds deposited entries (signature already checked by the caller, or here), in order;
    /// durable when it returns. Each result says whether it was held, already held, or why not.
    package func deposit(_ entries: [Entry]) -> [Result<Store.IngestOutcome, Refusal>] {
        var results: [Result<Store.IngestOutcome, Refusal>] = []
        var writes: [FeedID: [UInt8]] = [:]
        for entry in entries {
            results.append(admit(entry, writes: &writes))
        }
        for (id, bytes) in writes {
            let path = directory + "/" + id.description
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            do {
                guard let handle = FileHandle(forWritingAtPath: path) else {
                    throw StoreError(code: .io, message: "cannot open \(path)")
                }
                defer { try? handle.close() }
                try handle.seek(toOffset: held[id]?.end.advanced(by: -bytes.count) ?? 0)
                try handle.write(contentsOf: bytes)
                try handle.synchronize()
            } catch {
                logger.warning("cannot write a relayed feed; dropping it", metadata: ["feed": "\(id)"])
                drop(id)
                results = results.map { _ in .failure(.invalid(StoreError(code: .io, message: "\(error)"))) }
            }
        }
        return results
    }

    private func admit(_ entry: Entry, writes: inout [FeedID: [UInt8]]) -> Result<Store.IngestOutcome, Refusal> {
        let id = entry.feedID
        let length = UInt64(entry.encoded.count)
        if let feed = held[id] {
            if entry.seq >= feed.first && entry.seq <= feed.head { return .success(.duplicate) }
            guard entry.seq == feed.head + 1 else {
                return .failure(.invalid(StoreError(code: .gap, message: "seq \(entry.seq) after \(feed.head)")))
            }
            guard entry.previous == feed.lastID else {
                return .failure(
                    .invalid(StoreError(code: .wrongPrevious, message: "does not chain to seq \(feed.head)")))
            }
        } else if entry.seq <= acked[id] ?? 0 {
            return .success(.duplicate)
        }
        if (authorBytes[entry.feed.author] ?? 0) + length > limits.authorBytes {
            return .failure(.quota("author_bytes"))
        }
        if totalBytes + length > limits.totalBytes { return .failure(.quota("total_bytes")) }
        do { try entry.verifySignature() } catch { return .failure(.invalid(error)) }
        var feed =
            held[id]
            ?? Held(
                feed: entry.feed, first: entry.seq, head: entry.seq - 1, lastID: entry.previous, records: [],
                bytes: 0, lastDeposit: 0, end: 0)
        feed.records.append((feed.end + 4, entry.encoded.count))
        feed.head = entry.seq
        feed.lastID = entry.id
        feed.bytes += length
        feed.end += 4 + length
        feed.lastDeposit = clock.milliseconds
        held[id] = feed
        authorBytes[entry.feed.author, default: 0] += length
        totalBytes += length
        var record: [UInt8] = []
        record.appendBigEndian(UInt32(entry.encoded.count))
        writes[id, default: []] += record + entry.encoded
        return .success(.appended)
    }

    /// The reader of `id` holds it up to `head`: once it has everything held, the feed is
    /// dropped, and a later deposit starts after it. Whether something was dropped.
    @discardableResult
    package func acknowledged(_ id: FeedID, head: UInt64) -> Bool {
        guard head > acked[id] ?? 0 else { return false }
        if let feed = held[id], head < feed.head { return false }
        acked[id] = head
        saveAcks()
        guard held[id] != nil else { return false }
        logger.debug("a reader has the mail held for it; dropping it", metadata: ["feed": "\(id)"])
        drop(id)
        return true
    }

    /// Drops feeds held longer than the hold time since their last deposit; the number dropped.
    @discardableResult
    package func expire() -> Int {
        let now = clock.milliseconds
        let old = held.filter { now >= $0.value.lastDeposit && now - $0.value.lastDeposit > limits.holdMilliseconds }
        for id in old.keys { drop(id) }
        return old.count
    }

    /// Drops everything (the user stopped relaying).
    package func dropAll() {
        for id in held.keys { drop(id) }
    }

    private func drop(_ id: FeedID) {
        guard let feed = held.removeValue(forKey: id) else { return }
        authorBytes[feed.feed.author, default: 0] -= min(feed.bytes, authorBytes[feed.feed.author] ?? 0)
        totalBytes -= min(feed.bytes, totalBytes)
        try? FileManager.default.removeItem(atPath: directory + "/" + id.description)
    }

    private func saveAcks() {
        let saved = Dictionary(uniqueKeysWithValues: acked.map { ($0.key.description, $0.value) })
        guard let data = try? JSONEncoder().encode(saved) else { return }
        try? data.write(to: URL(fileURLWithPath: acksPath), options: .atomic)
    }
}
