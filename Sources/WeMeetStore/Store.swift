import Foundation
import Logging
import WeMeetCrypto

/// The append-only store of one node: feeds of signed, hash-chained entries in a crash-safe
/// log (``LogFile``), indexed in memory.
///
/// - Appends are **group-committed**: entries arriving while a batch is being written wait
///   for the next batch, and each batch is one `write` plus one `fdatasync`. An append
///   returns only once its entry is durable — that is what "acknowledged" means in WeMeet.
/// - Ingest of foreign entries validates encoding, sizes, signature, seq, previous hash and
///   authorship (a feed is defined by its author), and keeps forks as evidence.
/// - Opening recovers from a torn tail by truncating it (logged), but refuses a log damaged
///   elsewhere unless told to repair it.
public actor Store {
    /// How to treat damage found when opening.
    public enum Recovery: Sendable {
        /// Cut a torn tail; refuse anything else (the default).
        case normal
        /// Also cut everything from the first damaged record on (`wemeet store repair`):
        /// entries after it are lost, and the log says how many bytes were dropped.
        case repair
    }

    /// What ingesting a foreign entry did.
    public enum IngestOutcome: Sendable, Equatable {
        /// Stored (durable when this returns).
        case appended
        /// Already held: nothing changed.
        case duplicate
    }

    /// Evidence of a fork: two valid entries for the same (feed, seq).
    public struct Fork: Sendable {
        public var feed: FeedID
        public var seq: UInt64
        public var kept: EntryID
        public var rejected: Entry
    }

    package let directory: String
    private let log: LogFile
    private let writer: LogWriter
    private let lock: StoreLock
    private let logger: Logger

    private var feeds: [FeedID: FeedIndex] = [:]
    private var forks: [Fork] = []
    /// End of the records handed to the writer.
    private var nextOffset: UInt64
    /// End of the durable records: what readers may see.
    private var durableEnd: UInt64
    private var pending: [UInt8] = []
    private var flushing = false
    private var waiters: [(end: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var failure: StoreError?
    /// What opening had to do to the log (a torn tail cut, a repair), for the user.
    public nonisolated let recoveryNote: String?

    /// The clock for the timestamps of entries this node writes.
    private nonisolated let clock: WallClock

    /// The store's log file name inside its directory.
    public static let logName = "log"

    /// Opens (creating if needed) the store in `directory`, holding its lock until released.
    /// - Throws: ``StoreError`` with code ``StoreError/Code/locked`` when another process
    ///   holds it, ``StoreError/Code/corrupt`` (with the offset) for damage that is not a
    ///   torn tail.
    public init(
        directory: String, recovery: Recovery = .normal, clock: WallClock = .system,
        logger: Logger = Logger(label: "wemeet.store")
    )
        throws(StoreError)
    {
        self.clock = clock
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(code: .io, message: "cannot create \(directory): \(error.localizedDescription)")
        }
        self.directory = directory
        self.logger = logger
        lock = try StoreLock(directory: directory)
        log = try LogFile(path: directory + "/" + Self.logName, create: true)
        writer = LogWriter(log: log)
        var feeds: [FeedID: FeedIndex] = [:]
        var forks: [Fork] = []
        // Start-up reads only what the index needs from each record; the checksum (which is
        // the entry's ID) already proved the bytes are the ones written.
        var positions: [FeedKey: Int] = [:]
        var indexes: [FeedIndex] = []
        let ending = try log.scan { (record) throws(StoreError) in
            if record.type == LogFile.forkMarker[3] {
                let entry = try Entry(decoding: record.payload)
                let position = positions[FeedKey(entry: record.payload, base: record.payload.startIndex)]
                let kept = position.map { indexes[$0].id(ofSeq: entry.seq) } ?? .zero
                forks.append(Fork(feed: entry.feedID, seq: entry.seq, kept: kept, rejected: entry))
                if let position { indexes[position].frozen = true }
                return
            }
            let payload = record.payload
            let base = payload.startIndex
            guard payload.count >= Entry.headerLength + 64, payload[base + Entry.Offset.version] == Entry.version else {
                throw StoreError(
                    code: .corrupt, message: "log record at offset \(record.offset) is not an entry",
                    offset: record.offset)
            }
            let key = FeedKey(entry: payload, base: base)
            let position: Int
            if let known = positions[key] {
                position = known
            } else {
                position = indexes.count
                positions[key] = position
                indexes.append(FeedIndex(feed: try Entry(decoding: payload).feed))
            }
            let seq = payload.readBigEndian(at: base + Entry.Offset.seq, as: UInt64.self)
            guard seq == indexes[position].headSeq + 1,
                indexes[position].headIDEquals(payload[Entry.range(Entry.Offset.previous, length: 32, base: base)])
            else {
                throw StoreError(
                    code: .corrupt,
                    message: "log entry at offset \(record.offset) does not chain (seq \(seq))", offset: record.offset)
            }
            indexes[position].add(
                offset: record.offset,
                timestamp: payload.readBigEndian(at: base + Entry.Offset.timestamp, as: UInt64.self),
                contentType: payload.readBigEndian(at: base + Entry.Offset.contentType, as: UInt16.self),
                checksum: record.checksum, length: record.payload.count)
        }
        for index in indexes { feeds[index.feed.id] = index }
        var end = log.size
        var note: String?
        switch ending {
        case .clean:
            break
        case .tornTail(let offset, let reason):
            logger.warning(
                "truncating a torn tail of the store log",
                metadata: ["offset": "\(offset)", "bytes": "\(end - offset)", "reason": "\(reason)"])
            try log.truncate(to: offset)
            note = "cut a torn tail of \(end - offset) bytes at offset \(offset) (\(reason))"
            end = offset
        case .corrupt(let offset, let reason):
            guard recovery == .repair else {
                throw StoreError(
                    code: .corrupt,
                    message: "store log \(log.path) is damaged at offset \(offset): \(reason); "
                        + "run `wemeet store repair` to cut the log there (entries after it are lost; peers can send theirs again)",
                    offset: offset)
            }
            logger.error(
                "repair: cutting the store log at damaged offset",
                metadata: ["offset": "\(offset)", "bytes": "\(end - offset)", "reason": "\(reason)"])
            try log.truncate(to: offset)
            note = "repaired: cut \(end - offset) bytes from offset \(offset) on (\(reason))"
            end = offset
        }
        recoveryNote = note
        self.feeds = feeds
        self.forks = forks
        nextOffset = max(end, 8)
        durableEnd = nextOffset
    }

    // MARK: Appending

    /// Appends a new entry by this node to `feed`, signed with `key`; returns once durable.
    ///
    /// Signing happens off the actor, so appends to different feeds sign in parallel;
    /// appends to one feed take turns (each must chain to the one before).
    @discardableResult
    public nonisolated func append(
        to feed: Feed, contentType: UInt16, payload: [UInt8], key: Ed25519.PrivateKey, timestamp: UInt64? = nil
    ) async throws -> Entry {
        let id = feed.id
        let (seq, previous) = try await reserve(id, feed)
        let entry: Entry
        do {
            entry = try Entry(
                feed: feed, seq: seq, previous: previous, timestamp: timestamp ?? now(), contentType: contentType,
                payload: payload, signedBy: key)
        } catch {
            await release(id)
            throw error
        }
        try await commitReserved(entry)
        return entry
    }

    /// Appends several new entries to one feed in one turn (signed one after the other
    /// without giving the feed up in between), returning once all are durable. One writer
    /// with many entries for a feed (a burst of messages) goes as fast as signing allows.
    public nonisolated func append(
        to feed: Feed, contents: [(contentType: UInt16, payload: [UInt8])], key: Ed25519.PrivateKey
    ) async throws -> [Entry] {
        guard !contents.isEmpty else { return [] }
        let id = feed.id
        var (seq, previous) = try await reserve(id, feed)
        var entries: [Entry] = []
        entries.reserveCapacity(contents.count)
        do {
            for content in contents {
                let entry = try Entry(
                    feed: feed, seq: seq, previous: previous, timestamp: now(), contentType: content.contentType,
                    payload: content.payload, signedBy: key)
                entries.append(entry)
                seq += 1
                previous = entry.id
            }
        } catch {
            await release(id)
            throw error
        }
        try await commitReserved(batch: entries)
        return entries
    }

    private func commitReserved(batch entries: [Entry]) async throws {
        var durable: () async throws -> Void = {}
        for entry in entries { durable = enqueue(entry, marker: LogFile.entryMarker) }
        release(entries[0].feedID)
        try await durable()
    }

    /// Feeds with an append between ``reserve(_:_:)`` and commit, and who waits for each.
    private var reserved: [FeedID: [CheckedContinuation<Void, Never>]] = [:]

    /// Waits for `id`'s turn, then returns the seq and previous ID for its next entry.
    private func reserve(_ id: FeedID, _ feed: Feed) async throws -> (UInt64, EntryID) {
        while reserved[id] != nil {
            await withCheckedContinuation { reserved[id]!.append($0) }
        }
        try checkOpen()
        let index = feeds[id] ?? FeedIndex(feed: feed)
        guard !index.frozen else { throw Self.frozen(id) }
        reserved[id] = []
        let head = pendingHead(id, index)
        return (head.seq + 1, head.id)
    }

    private func release(_ id: FeedID) {
        let waiting = reserved.removeValue(forKey: id) ?? []
        for waiter in waiting { waiter.resume() }
    }

    private func commitReserved(_ entry: Entry) async throws {
        let durable = enqueue(entry, marker: LogFile.entryMarker)
        release(entry.feedID)
        try await durable()
    }

    /// Validates and stores an entry received from a peer; returns once durable.
    /// - Throws: ``StoreError`` with the reason for any rejection (malformed, too large,
    ///   bad signature, gap, wrong previous hash, fork, frozen feed).
    @discardableResult
    public nonisolated func ingest(_ bytes: some Collection<UInt8>) async throws -> IngestOutcome {
        let entry = try Entry(decoding: bytes)
        try entry.verifySignature()  // off the actor: verification runs in parallel
        return try await accept(entry)
    }

    /// Validates and stores a batch of entries from a peer (as sync delivers them): the
    /// signatures are verified on all cores, the batch is committed together, and each
    /// entry gets its own outcome — a rejected entry never blocks the others, though an
    /// entry after a rejected one of the same feed is then rejected as a gap.
    public nonisolated func ingest(batch: [[UInt8]]) async -> [Result<IngestOutcome, StoreError>] {
        let decoded = Self.decodeAndVerify(batch)
        return await accept(batch: decoded)
    }

    private static func decodeAndVerify(_ batch: [[UInt8]]) -> [Result<Entry, StoreError>] {
        let results = UnsafeMutableBufferPointer<Result<Entry, StoreError>?>.allocate(capacity: batch.count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        /// `@unchecked Sendable` is sound: each iteration writes only its own slot, and
        /// `concurrentPerform` returns after every iteration, before the buffer is read or freed.
        struct Slots: @unchecked Sendable { var results: UnsafeMutableBufferPointer<Result<Entry, StoreError>?> }
        let slots = Slots(results: results)
        DispatchQueue.concurrentPerform(iterations: batch.count) { index in
            slots.results[index] = Result { () throws(StoreError) -> Entry in
                let entry = try Entry(decoding: batch[index])
                try entry.verifySignature()
                return entry
            }
        }
        return results.map { $0! }
    }

    private func accept(batch: [Result<Entry, StoreError>]) async -> [Result<IngestOutcome, StoreError>] {
        var outcomes: [Result<IngestOutcome, StoreError>] = []
        var durable: (() async throws -> Void)?
        for item in batch {
            switch item {
            case .failure(let error):
                outcomes.append(.failure(error))
            case .success(let entry):
                do {
                    let (outcome, wait) = try stage(entry)
                    if let wait { durable = wait }
                    outcomes.append(.success(outcome))
                } catch let error as StoreError {
                    outcomes.append(.failure(error))
                } catch {
                    outcomes.append(.failure(StoreError(code: .io, message: "\(error)")))
                }
            }
        }
        // Batches are written in order, so the last entry's durability covers the rest.
        if let durable {
            do { try await durable() } catch {
                let failure = error as? StoreError ?? StoreError(code: .io, message: "\(error)")
                return outcomes.map { $0.flatMap { _ in .failure(failure) } }
            }
        }
        return outcomes
    }

    /// Checks an entry against its feed and queues it; returns the outcome and, when it was
    /// queued, how to wait for durability. Forks are queued as evidence and thrown.
    private func stage(_ entry: Entry) throws -> (IngestOutcome, (() async throws -> Void)?) {
        try checkOpen()
        let id = entry.feedID
        let index = feeds[id] ?? FeedIndex(feed: entry.feed)
        let head = pendingHead(id, index)
        if entry.seq <= head.seq && pendingID(id, index, seq: entry.seq) == entry.id { return (.duplicate, nil) }
        guard !index.frozen else { throw Self.frozen(id) }
        if entry.seq <= head.seq {
            let kept = pendingID(id, index, seq: entry.seq)
            feeds[id, default: index].frozen = true
            forks.append(Fork(feed: id, seq: entry.seq, kept: kept, rejected: entry))
            logger.warning("fork detected; feed frozen", metadata: ["feed": "\(id)", "seq": "\(entry.seq)"])
            _ = enqueue(entry, marker: LogFile.forkMarker)
            throw StoreError(
                code: .fork,
                message: "fork in feed \(id) at seq \(entry.seq): two different entries; the feed is frozen")
        }
        guard entry.seq == head.seq + 1 else {
            throw StoreError(
                code: .gap, message: "gap in feed \(id): have up to seq \(head.seq), got seq \(entry.seq)")
        }
        guard entry.previous == head.id else {
            throw StoreError(
                code: .wrongPrevious, message: "entry \(entry.seq) of feed \(id) does not chain to entry \(head.seq)")
        }
        return (.appended, enqueue(entry, marker: LogFile.entryMarker))
    }

    private func accept(_ entry: Entry) async throws -> IngestOutcome {
        do {
            let (outcome, wait) = try stage(entry)
            try await wait?()
            return outcome
        } catch let error as StoreError where error.code == .fork {
            // The evidence must be durable before the fork is reported.
            try await waitDurable(nextOffset)
            throw error
        }
    }

    /// Entries queued for the next batch, and entries of the batch being written: not yet in
    /// the index, but new entries must already chain to them.
    private var unindexed: [FeedID: [Entry]] = [:]
    private var inFlight: [FeedID: [Entry]] = [:]

    private func pendingHead(_ id: FeedID, _ index: FeedIndex) -> (seq: UInt64, id: EntryID) {
        if let last = unindexed[id]?.last ?? inFlight[id]?.last { return (last.seq, last.id) }
        return (index.headSeq, index.headID)
    }

    private func pendingID(_ id: FeedID, _ index: FeedIndex, seq: UInt64) -> EntryID {
        if seq <= index.headSeq { return index.id(ofSeq: seq) }
        return (inFlight[id]?.first { $0.seq == seq } ?? unindexed[id]?.first { $0.seq == seq })?.id ?? .zero
    }

    /// Queues `entry` for the next group commit; the returned function waits for durability.
    private func enqueue(_ entry: Entry, marker: [UInt8]) -> () async throws -> Void {
        let record = LogFile.frame(marker: marker, payload: entry.encoded, checksum: entry.id.rawValue)
        nextOffset += UInt64(record.count)
        pending += record
        if marker == LogFile.entryMarker { unindexed[entry.feedID, default: []].append(entry) }
        let end = nextOffset
        if !flushing {
            flushing = true
            Task { await self.flush() }
        }
        return { try await self.waitDurable(end) }
    }

    private func waitDurable(_ end: UInt64) async throws {
        if let failure { throw failure }
        guard end > durableEnd else { return }
        try await withCheckedThrowingContinuation { continuation in
            waiters.append((end, continuation))
        }
    }

    /// Writes batches until nothing is pending: each batch is everything queued meanwhile.
    private func flush() async {
        while !pending.isEmpty && failure == nil {
            let batch = pending
            let start = durableEnd
            pending = []
            inFlight = unindexed
            unindexed = [:]
            do {
                try await writer.write(batch, at: start)
            } catch {
                fail(error)
                break
            }
            durableEnd = start + UInt64(batch.count)
            index(inFlight, from: start, batch: batch)
            inFlight = [:]
            let ready = waiters.filter { $0.end <= durableEnd }
            waiters.removeAll { $0.end <= durableEnd }
            for waiter in ready { waiter.continuation.resume() }
        }
        flushing = false
    }

    /// Adds a durable batch's entries to the index (offsets follow from the record sizes).
    private func index(_ entries: [FeedID: [Entry]], from start: UInt64, batch: [UInt8]) {
        var offset = start
        var byID: [EntryID: Entry] = [:]
        for list in entries.values { for entry in list { byID[entry.id] = entry } }
        while offset < start + UInt64(batch.count) {
            let local = Int(offset - start)
            let length = Int(batch.readBigEndian(at: local + 4, as: UInt32.self))
            let checksum = EntryID(rawValue: Array(batch[(local + 8 + length)..<(local + LogFile.overhead + length)]))
            if Array(batch[local..<local + 4]) == LogFile.entryMarker, let entry = byID[checksum] {
                feeds[entry.feedID, default: FeedIndex(feed: entry.feed)].add(
                    offset: offset, timestamp: entry.timestamp, contentType: entry.contentType, id: entry.id,
                    length: length)
            }
            offset += UInt64(LogFile.overhead + length)
        }
    }

    private func fail(_ error: StoreError) {
        failure = error
        logger.error("store write failed; refusing further writes", metadata: ["reason": "\(error.message)"])
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
        waiters = []
    }

    private static func frozen(_ id: FeedID) -> StoreError {
        StoreError(code: .frozen, message: "feed \(id) is frozen after a fork")
    }

    private func checkOpen() throws(StoreError) {
        if let failure {
            throw StoreError(code: .closed, message: "the store failed earlier: \(failure.message)")
        }
    }

    /// The timestamp for an entry written now (the store's clock).
    package nonisolated func now() -> UInt64 { clock.milliseconds }

    // MARK: Reading

    /// The latest durable seq of every feed.
    public func heads() -> [FeedID: UInt64] {
        feeds.mapValues(\.headSeq)
    }

    /// The latest durable seq of `feed` (0 when unknown).
    public func head(of feed: FeedID) -> UInt64 {
        feeds[feed]?.headSeq ?? 0
    }

    /// The feed descriptor of a known feed.
    public func feed(_ id: FeedID) -> Feed? {
        feeds[id]?.feed
    }

    /// Whether `feed` is frozen by a fork.
    public func isFrozen(_ feed: FeedID) -> Bool {
        feeds[feed]?.frozen ?? false
    }

    /// Entries of `feed` with seq in `range` (clamped to what is durable), in order.
    public func entries(of feed: FeedID, seqs range: ClosedRange<UInt64>) throws -> [Entry] {
        guard let index = feeds[feed], index.headSeq > 0 else { return [] }
        let upper = min(range.upperBound, index.headSeq)
        guard range.lowerBound >= 1, range.lowerBound <= upper else { return [] }
        return try (range.lowerBound...upper).map { seq throws(StoreError) in
            try readEntry(at: index.offsets[Int(seq - 1)])
        }
    }

    /// How ``timeline(of:limit:order:)`` merges feeds.
    public enum TimelineOrder: Sendable {
        /// By the authors' timestamps (then feed, then seq): their claims, for display.
        case authorTime
        /// In the order this node stored the entries (its log): each feed stays in seq order,
        /// and nothing an author dates can move its entry before what this node already had.
        case arrival
    }

    /// Entries of several feeds merged by author timestamp (then feed, then seq) or by arrival: a
    /// conversation is both directions' DM feeds, a group timeline all members' group feeds.
    public func timeline(
        of feedIDs: [FeedID], limit: Int = .max, order: TimelineOrder = .authorTime
    ) throws
        -> [Entry]
    {
        var keys: [(timestamp: UInt64, feed: FeedID, seq: UInt64, offset: UInt64)] = []
        for id in feedIDs {
            guard let index = feeds[id] else { continue }
            for position in index.offsets.indices {
                keys.append((index.timestamps[position], id, UInt64(position + 1), index.offsets[position]))
            }
        }
        switch order {
        case .authorTime: keys.sort { ($0.timestamp, $0.feed, $0.seq) < ($1.timestamp, $1.feed, $1.seq) }
        case .arrival: keys.sort { $0.offset < $1.offset }
        }
        return try keys.suffix(limit).map { key throws(StoreError) in try readEntry(at: key.offset) }
    }

    /// One page of several feeds' entries, **newest first in arrival order** (this node's log,
    /// §7.4), before log offset `before` (nil: from the newest), at most `limit`, only those
    /// whose content type is in `contentTypes` (nil: all). Costs O(feeds · log entries +
    /// limit · feeds), whatever the history's length: the views page through it with this.
    /// Each entry comes with its log offset, the cursor for the page before it.
    public func page(
        of feedIDs: [FeedID], before: UInt64? = nil, limit: Int, contentTypes: Set<UInt16>? = nil
    ) throws -> [(offset: UInt64, entry: Entry)] {
        var indexes: [FeedIndex] = []
        var next: [Int] = []  // per feed: how many of its entries are still candidates
        for id in Set(feedIDs) {
            guard let index = feeds[id], index.headSeq > 0 else { continue }
            indexes.append(index)
            next.append(before.map { index.count(before: $0) } ?? index.offsets.count)
        }
        var out: [(offset: UInt64, entry: Entry)] = []
        while out.count < limit {
            var best = -1
            var bestOffset: UInt64 = 0
            for i in indexes.indices {
                if let contentTypes {
                    while next[i] > 0, !contentTypes.contains(indexes[i].contentTypes[next[i] - 1]) { next[i] -= 1 }
                }
                guard next[i] > 0 else { continue }
                let offset = indexes[i].offsets[next[i] - 1]
                if best < 0 || offset > bestOffset {
                    best = i
                    bestOffset = offset
                }
            }
            guard best >= 0 else { break }
            next[best] -= 1
            out.append((bestOffset, try readEntry(at: bestOffset)))
        }
        return out
    }

    /// Re-verifies every entry's signature and chain, reading the whole log.
    /// - Returns: the number of entries and feeds checked.
    public func verify() throws -> (entries: Int, feeds: Int) {
        var count = 0
        for (id, index) in feeds {
            var previous = EntryID.zero
            for (position, offset) in index.offsets.enumerated() {
                let entry = try readEntry(at: offset)
                try entry.verifySignature()
                guard entry.feedID == id, entry.seq == UInt64(position + 1), entry.previous == previous else {
                    throw StoreError(
                        code: .corrupt, message: "entry at offset \(offset) breaks the chain of feed \(id)",
                        offset: offset)
                }
                previous = entry.id
                count += 1
            }
        }
        return (count, feeds.count)
    }

    /// Every known feed with its head, sorted by ID.
    /// Every feed with the bytes of its entries (for storage quotas).
    public func usage() -> [(feed: Feed, bytes: UInt64)] {
        feeds.values.map { ($0.feed, $0.bytes) }
    }

    public func allFeeds() -> [(id: FeedID, feed: Feed, head: UInt64, frozen: Bool)] {
        feeds.map { ($0.key, $0.value.feed, $0.value.headSeq, $0.value.frozen) }.sorted { $0.id < $1.id }
    }

    /// Forks seen so far.
    public func allForks() -> [Fork] { forks }

    /// Total durable entries.
    public var entryCount: Int { feeds.values.reduce(0) { $0 + $1.offsets.count } }

    private func readEntry(at offset: UInt64) throws(StoreError) -> Entry {
        let head = try log.read(count: 8, at: offset)
        let length = Int(head.readBigEndian(at: 4, as: UInt32.self))
        return try Entry(decoding: try log.read(count: length, at: offset + 8))
    }
}

private func < (lhs: (UInt64, FeedID, UInt64), rhs: (UInt64, FeedID, UInt64)) -> Bool {
    if lhs.0 != rhs.0 { return lhs.0 < rhs.0 }
    if lhs.1 != rhs.1 { return lhs.1 < rhs.1 }
    return lhs.2 < rhs.2
}
