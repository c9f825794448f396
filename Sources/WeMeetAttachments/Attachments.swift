import Foundation
import Logging
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// The attachments of this node (Protocol.md §13): the catalogue of references found in
/// entries it holds, the blobs under `HOME/blobs`, serving chunks to whoever may have them,
/// and fetching what it lacks.
///
/// Files: `ID` is a complete sealed blob (durable before it counts as held), `ID.part` one
/// being fetched (chunks at their offsets, re-verified against the hash list when a fetch
/// resumes), `ID.hashes` its hash list once verified, and `catalogue` a JSON line per
/// reference found (mode 0600: it holds the blob keys, as the store holds the entries that
/// carry them).
package actor Attachments {
    /// What the catalogue knows of one blob.
    ///
    /// Each referencing entry owns its reference (Protocol.md §13.2): key, size, name and type
    /// are its claims, and one entry's bad claim cannot change or break another's. The blob
    /// keeps every distinct (key, size) claimed (``candidates``, at most
    /// ``maximumCandidates``); ``reference`` is the one fetching works with. The size is
    /// settled by the hash list (the blob ID commits to it), the key by opening chunk 0
    /// once the blob is complete (AEAD: a wrong key opens nothing).
    package struct Record: Sendable {
        package var reference: AttachmentReference
        package var id: BlobID
        package var key: SymmetricKey
        /// Every distinct (key, size) claimed for this blob, in the order the entries came.
        package var candidates: [AttachmentReference] = []
        /// Whose entry ``reference`` came from (quotas count against them).
        package var candidateAuthors: [NodeID] = []
        /// The key that opened the complete blob (own uploads: from the start).
        package var keySettled = false
        /// The feeds of the entries referencing it: who may fetch it follows from them.
        package var feeds: Set<Feed> = []
        /// The author of the first entry referencing it.
        package var from: NodeID
        /// The user asked for it (fetched whatever its size).
        package var requested = false
        package var complete = false
        /// A quota refused it: the reason shown.
        package var refusal: String?
        /// Held for a friend's reader only (Protocol.md §8.5): its key is not known here, it
        /// is not listed, only fetched and served.
        package var relayed = false
        /// When it was first held (ms, the node's clock): dropped the hold time after.
        package var heldAt: UInt64?
    }

    /// The most distinct (key, size) claims kept for one blob.
    package static let maximumCandidates = 8

    /// Adds `reference` (from `author`'s entry) to `record`'s claims; true when it is new.
    static func addCandidate(_ reference: AttachmentReference, from author: NodeID, to record: inout Record) -> Bool {
        guard
            !record.candidates.contains(where: { $0.key == reference.key && $0.size == reference.size }),
            record.candidates.count < maximumCandidates
        else { return false }
        record.candidates.append(reference)
        record.candidateAuthors.append(author)
        return true
    }

    /// One line of the catalogue file.
    struct Line: Codable {
        var ref: AttachmentReference
        var author: String?
        var kind: UInt8?
        var audience: String?
        var entry: String?
        var requested: Bool?
        /// Held for a friend's reader (HOLD, Protocol.md §8.5) since this time (ms, the
        /// node's clock), for the feed named by `author`, `kind` and `audience`.
        var held: UInt64?
        /// The held blob was dropped.
        var released: Bool?
    }

    package let directory: String
    package let own: NodeID
    let policy: any SyncPolicy
    let transport: any SyncTransport
    let quotas: Quotas
    let events: EventHub
    let logger: Logger
    /// The node's clock: when a blob was held for a friend's reader (never a peer's claim).
    let clock: WallClock
    /// Blobs up to this size are fetched as soon as their entry arrives.
    package internal(set) var automaticBytes: UInt64
    var records: [BlobID: Record] = [:]
    var fetches: [BlobID: Fetch] = [:]
    /// Blobs counted against their author's quota in this run.
    var admitted: Set<BlobID> = []
    private var catalogue: FileHandle?
    /// Sealed blob bytes sent and received since start-up.
    var servedBytes: UInt64 = 0
    var fetchedBytes: UInt64 = 0

    /// Opens `directory` (created if missing) and reads the catalogue.
    package init(
        directory: String, own: NodeID, policy: any SyncPolicy, transport: any SyncTransport, quotas: Quotas,
        automaticBytes: UInt64, events: EventHub, logger: Logger, clock: WallClock = .system
    ) async throws(AttachmentError) {
        self.directory = directory
        self.own = own
        self.policy = policy
        self.transport = transport
        self.quotas = quotas
        self.automaticBytes = automaticBytes
        self.events = events
        self.logger = logger
        self.clock = clock
        let files = FileManager.default
        do {
            try files.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let path = directory + "/catalogue"
            if !files.fileExists(atPath: path) {
                _ = files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                // A torn last line (a crash mid-append) is skipped; its entry is found again.
                guard let parsed = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)) else { continue }
                note(parsed)
            }
            catalogue = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            _ = try catalogue?.seekToEnd()
        } catch {
            throw AttachmentError(code: .io, message: "cannot open \(directory): \(error)")
        }
        for (id, record) in records {
            if files.fileExists(atPath: path(id)) {
                records[id]?.complete = true
                settleKey(id)
            }
            // What is held counts against its author's quota across restarts.
            if record.from != own, records[id]?.complete == true || files.fileExists(atPath: path(id) + ".part") {
                _ = await quotas.admitBlob(author: record.from, bytes: record.reference.size)
                admitted.insert(id)
            }
        }
    }

    private func note(_ line: Line) {
        guard let id = try? line.ref.blobID(), let key = try? line.ref.blobKey() else { return }
        var feed: Feed?
        if let author = line.author, let kind = line.kind, let audience = line.audience,
            let node = try? NodeID(author), let audienceBytes = try? Hex.decode(audience)
        {
            feed = Feed(author: node.publicKey, kind: Feed.Kind(rawValue: kind), audience: audienceBytes)
        }
        if line.released == true {
            if records[id]?.relayed == true { records[id] = nil }
            return
        }
        if let held = line.held, let feed {
            noteHeld(id, size: line.ref.size, of: feed, at: held)
            return
        }
        let author = feed.map { NodeID(publicKey: $0.author) } ?? own
        var record = records[id] ?? Record(reference: line.ref, id: id, key: key, from: author)
        if feed == nil, record.from == own { record.keySettled = true }
        _ = Self.addCandidate(line.ref, from: author, to: &record)
        if let feed { record.feeds.insert(feed) }
        if let requested = line.requested { record.requested = requested }
        records[id] = record
    }

    func append(_ line: Line) {
        guard var data = try? JSONEncoder().encode(line) else { return }
        data.append(0x0A)
        do { try catalogue?.write(contentsOf: data) } catch {
            logger.warning("cannot write the attachment catalogue", metadata: ["reason": "\(error)"])
        }
    }

    /// Notes in the catalogue that the user asked for `record`'s blob.
    func recordRequest(_ record: Record) {
        append(Line(ref: record.reference, requested: true))
    }

    /// The path of a complete blob.
    nonisolated func path(_ id: BlobID) -> String { directory + "/" + id.description }

    // MARK: Finding

    /// References found in an entry (written here, or arrived): catalogued, and fetched
    /// when small enough.
    package func found(_ found: AttachmentFinds.Found) async {
        for reference in found.references {
            guard (try? reference.validate()) != nil, let id = try? reference.blobID(),
                let key = try? reference.blobKey()
            else {
                logger.info(
                    "an attachment reference does not decode; ignoring it", metadata: ["entry": "\(found.entry)"])
                continue
            }
            let author = NodeID(publicKey: found.feed.author)
            let known = records[id]
            var record = known ?? Record(reference: reference, id: id, key: key, from: author)
            let newClaim = Self.addCandidate(reference, from: author, to: &record)
            if known?.feeds.contains(found.feed) == true && !newClaim { continue }
            record.feeds.insert(found.feed)
            if known == nil { record.complete = FileManager.default.fileExists(atPath: path(id)) }
            // A claim another entry made may have been refused (a quota, counted against its
            // author) or stalled: this entry's own claim is tried instead.
            if newClaim, known != nil, !record.complete, record.refusal != nil {
                record.refusal = nil
                record.reference = reference
                record.key = key
                record.from = author
                admitted.remove(id)
            }
            records[id] = record
            if record.complete && !record.keySettled { settleKey(id) }
            append(
                Line(
                    ref: reference, author: author.description, kind: found.feed.kind.rawValue,
                    audience: Hex.encode(found.feed.audience), entry: found.entry))
            if known == nil {
                events.publish(
                    NodeEvent(
                        type: .attachmentFound, peer: author, detail: status(of: record).state.rawValue,
                        attachment: id.description, total: reference.size))
            }
            if !record.complete, record.requested || reference.size <= automaticBytes {
                await start(id)
            } else if !record.complete {
                await pump(id)
            }
        }
    }

    // MARK: Uploading

    /// Seals an upload into a blob here and returns its reference, ready to be attached to
    /// a message or post. `body` yields the file's bytes; `size` is its length.
    package func upload<Body: AsyncSequence & Sendable>(
        _ body: Body, size: UInt64, name: String, type: String?, voice: Bool = false, durationMs: UInt64? = nil
    ) async throws(AttachmentError) -> AttachmentReference where Body.Element == [UInt8] {
        let name = Self.fileName(name)
        let temporary = directory + "/upload-" + Hex.encode(Random.bytes(count: 8))
        let file = try BlobFile(path: temporary, create: true)
        defer { file.close() }
        var encoder = BlobEncoder(size: size, file: file)
        do {
            for try await bytes in body { try encoder.append(bytes) }
        } catch let error as AttachmentError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw AttachmentError(code: .io, message: "the upload broke off: \(error)")
        }
        let id: BlobID
        do { id = try encoder.finish() } catch {
            unlink(temporary)
            throw error
        }
        guard
            FileManager.default.createFile(
                atPath: path(id) + ".hashes", contents: Data(encoder.hashes.joined()),
                attributes: [.posixPermissions: 0o600]),
            rename(temporary, path(id)) == 0
        else {
            unlink(temporary)
            throw AttachmentError(code: .io, message: "cannot store the blob \(id)")
        }
        let mediaType = type ?? MediaType.guess(name: name, head: encoder.head)
        let size = ImageSize(encoder.head)
        let reference = AttachmentReference(
            id: id, key: encoder.key, size: encoder.size, type: mediaType, name: name, voice: voice ? true : nil,
            durationMs: durationMs, width: size?.width, height: size?.height)
        var record = records[id] ?? Record(reference: reference, id: id, key: encoder.key, from: own)
        _ = Self.addCandidate(reference, from: own, to: &record)
        // The same file uploaded twice has another key (and another ID): a reference a peer
        // made up for this ID before is replaced by the uploader's own.
        if !record.keySettled {
            (record.reference, record.key, record.from, record.keySettled) = (reference, encoder.key, own, true)
        }
        record.complete = true
        records[id] = record
        logger.info("attachment stored", metadata: ["id": "\(id)", "bytes": "\(encoder.size)"])
        return record.reference
    }

    /// A file name without directories, control or format (bidi) characters.
    package static func fileName(_ name: String) -> String {
        SafeFileName.clean(name, fallback: "file")
    }

    /// A reference this node holds (uploaded, or catalogued), by ID or ID prefix.
    package func reference(_ text: String) throws(NodeError) -> AttachmentReference {
        let record = try resolve(text)
        // Sending a blob on (forwarding) makes this node the one its readers fetch it from:
        // it must hold all of it, or they would wait on a node that cannot serve it.
        guard record.complete else {
            throw NodeError(
                code: .conflict,
                message: "\(record.reference.view.name) is not all on this node yet: fetch it before sending it on")
        }
        return record.reference
    }

    // MARK: Views

    package func resolve(_ text: String) throws(NodeError) -> Record {
        let needle = text.lowercased()
        let matches = records.values.filter { $0.id.description.hasPrefix(needle) }
        guard !needle.isEmpty, let first = matches.first else {
            throw NodeError(code: .notFound, message: "no attachment \(text.prefix(80)) on this node")
        }
        guard matches.count == 1 else {
            throw NodeError(
                code: .invalidArgument, message: "\(text) matches \(matches.count) attachments; give more digits")
        }
        return first
    }

    func status(of record: Record) -> AttachmentStatus {
        let size = record.reference.size
        let view = record.reference.view
        if record.complete {
            return AttachmentStatus(attachment: view, from: record.from, state: .complete, bytes: size, percent: 100)
        }
        if let refusal = record.refusal {
            return AttachmentStatus(
                attachment: view, from: record.from, state: .refused, bytes: 0, percent: 0, reason: refusal)
        }
        guard let fetch = fetches[record.id] else {
            return AttachmentStatus(attachment: view, from: record.from, state: .onDemand, bytes: 0, percent: 0)
        }
        let percent = size == 0 ? 0 : (Double(fetch.heldBytes) / Double(size) * 1000).rounded() / 10
        let state: AttachmentStatus.State = fetch.stall == nil && !fetch.outstanding.isEmpty ? .fetching : .waiting
        let reason = fetch.stall ?? (state == .waiting ? "no node that may serve it is online" : nil)
        return AttachmentStatus(
            attachment: view, from: record.from, state: state, bytes: fetch.heldBytes, percent: percent, reason: reason)
    }

    /// Every attachment this node knows, newest blob IDs in no particular order.
    package func list() -> AttachmentList {
        AttachmentList(
            attachments: records.values.filter { !$0.feeds.isEmpty && !$0.relayed }.map(status(of:)).sorted {
                $0.attachment.name < $1.attachment.name
            }, servedBytes: servedBytes, fetchedBytes: fetchedBytes)
    }

    /// One attachment's state.
    package func status(_ text: String) throws(NodeError) -> AttachmentStatus { status(of: try resolve(text)) }

    /// Picks, among the claims of the right size, the key that opens the complete blob's
    /// first chunk (a wrong key opens nothing): its reference becomes the blob's.
    func settleKey(_ id: BlobID) {
        guard var record = records[id], record.complete, !record.keySettled,
            let file = try? BlobFile(path: path(id), create: false)
        else { return }
        defer { file.close() }
        for (reference, author) in zip(record.candidates, record.candidateAuthors)
        where reference.size == record.reference.size {
            guard let key = try? reference.blobKey(),
                let sealed = try? file.read(
                    at: Blob.offset(ofChunk: 0), count: Blob.sealedLength(ofChunk: 0, size: reference.size)),
                (try? Blob.open(sealed, index: 0, key: key, size: reference.size)) != nil
            else { continue }
            (record.reference, record.key, record.from, record.keySettled) = (reference, key, author, true)
            records[id] = record
            return
        }
        logger.info("no reference to a complete blob opens it", metadata: ["id": "\(id)"])
    }

    /// The plaintext of chunk `index` of a complete blob.
    package func plaintext(_ id: BlobID, chunk index: Int) throws(AttachmentError) -> [UInt8] {
        guard let record = records[id], record.complete else {
            throw AttachmentError(code: .io, message: "attachment \(id) is not complete here")
        }
        let file = try BlobFile(path: path(id), create: false)
        defer { file.close() }
        let size = record.reference.size
        let sealed = try file.read(
            at: Blob.offset(ofChunk: index), count: Blob.sealedLength(ofChunk: index, size: size))
        return try Blob.open(sealed, index: index, key: record.key, size: size)
    }
}
