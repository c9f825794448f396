import Foundation
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

extension Attachments {
    /// A blob being fetched: the hash list, the chunks verified, and the requests in flight.
    struct Fetch {
        var hashes: [[UInt8]] = []
        var hashesVerified = false
        var hashesFrom: NodeID?
        var hashesSince: ContinuousClock.Instant?
        var have: [Bool] = []
        var haveCount = 0
        var heldBytes: UInt64 = 0
        /// The lowest chunk not held.
        var cursor = 0
        var outstanding: [Int: (peer: NodeID, since: ContinuousClock.Instant)] = [:]
        /// Holders that refused the whole blob (cleared each tick: a peer may get it later).
        var refusedBy: Set<NodeID> = []
        /// Chunks a holder said it lacks (cleared each tick).
        var lacking: [NodeID: Set<Int>] = [:]
        /// Holders that sent a bad copy of a chunk: others are asked for it first.
        var badAt: [Int: Set<NodeID>] = [:]
        var bad: [NodeID: Int] = [:]
        /// Why the fetch cannot go on for now (a full disk); retried each tick.
        var stall: String?
        var file: BlobFile?
        var lastProgress: ContinuousClock.Instant?
        /// The last 5 % step of the file told in an `attachment.progress` event.
        var progressStep: UInt64 = 0
        var turn = 0
        /// Sizes claimed for the blob whose hash list did not match its ID (§13.2: each
        /// entry's size is its own claim; the next claim is tried before a holder is blamed).
        var sizesTried: Set<UInt64> = []
        /// How many hashes the request in flight asked for: a shorter answer ends the list.
        var hashesAsked = 0
    }

    /// Chunk requests in flight per blob (768 KiB, §13.4): what a DM may wait behind.
    static let window = 3
    /// Bad chunks after which a holder is not asked again in this run.
    static let badLimit = 3
    /// How long a request may go unanswered before another holder is asked.
    static let requestTimeout: Duration = .seconds(10)

    /// The user wants `text` whatever its size: fetched now, and after restarts.
    package func fetch(_ text: String) async throws(NodeError) -> AttachmentStatus {
        let record = try resolve(text)
        if !record.requested {
            records[record.id]?.requested = true
            recordRequest(record)
        }
        if records[record.id]?.refusal != nil { records[record.id]?.refusal = nil }
        await start(record.id)
        return status(of: records[record.id] ?? record)
    }

    /// The user cancels fetching `text`: it stops now and is fetched again only when asked
    /// (after restarts too). The chunks already verified stay in `ID.part`, so a later fetch
    /// goes on from where this one stopped; answers still on their way are dropped as they come.
    package func cancelFetch(_ text: String) async throws(NodeError) -> AttachmentStatus {
        let record = try resolve(text)
        guard !record.complete else {
            throw NodeError(code: .conflict, message: "\(record.reference.name) is already here; nothing to cancel")
        }
        if record.requested {
            records[record.id]?.requested = false
            append(Line(ref: record.reference, requested: false))
        }
        if let fetch = fetches.removeValue(forKey: record.id) {
            fetch.file?.close()
            logger.info("attachment fetch cancelled", metadata: ["id": "\(record.id)", "held": "\(fetch.heldBytes)"])
        }
        let status = status(of: records[record.id] ?? record)
        events.publish(
            NodeEvent(
                type: .attachmentCancelled, peer: record.from, detail: record.reference.name,
                attachment: record.id.description, bytes: status.bytes, total: record.reference.size))
        return status
    }

    /// Changes the automatic size (the user's setting): blobs now under it start fetching;
    /// those already fetching go on.
    package func setAutomaticBytes(_ bytes: UInt64) async {
        automaticBytes = bytes
        await resume()
    }

    /// Starts every fetch that should run: at start-up, requested or small blobs not complete.
    package func resume() async {
        for record in records.values
        where !record.complete && !record.feeds.isEmpty && (record.requested || record.reference.size <= automaticBytes)
        {
            await start(record.id)
        }
    }

    /// Starts (or resumes) fetching `id`: the quota first, then the hash list and the
    /// chunks already held (re-verified: a crash may have left any of them torn).
    func start(_ id: BlobID) async {
        guard let record = records[id], !record.complete, fetches[id] == nil else {
            await pump(id)
            return
        }
        if !admitted.contains(id) {
            if let quota = await quotas.admitBlob(author: record.from, bytes: record.reference.size) {
                let limit = await quotas.limits[quota]
                let reason =
                    "quota \(quota.rawValue) reached (\(limit)): \(record.reference.size) bytes from \(record.from.shortForm) would pass it"
                records[id]?.refusal = reason
                logger.info("attachment refused", metadata: ["id": "\(id)", "reason": "\(reason)"])
                events.publish(
                    NodeEvent(type: .attachmentStalled, peer: record.from, detail: reason, attachment: id.description))
                return
            }
            admitted.insert(id)
        }
        guard fetches[id] == nil else { return }
        var fetch = Fetch()
        let size = record.reference.size
        let n = Blob.chunkCount(size: size)
        if let data = FileManager.default.contents(atPath: path(id) + ".hashes"), data.count == n * 32 {
            let hashes = stride(from: 0, to: data.count, by: 32).map { Array(data[$0..<$0 + 32]) }
            if Blob.id(size: size, hashes: hashes) == id {
                fetch.hashes = hashes
                fetch.hashesVerified = true
            }
        }
        if fetch.hashesVerified {
            do {
                try openPart(&fetch, id: id, size: size)
            } catch {
                fetch.stall = error.message
            }
        }
        fetches[id] = fetch
        await pump(id)
    }

    /// Opens `ID.part` and notes which chunks in it verify.
    private func openPart(_ fetch: inout Fetch, id: BlobID, size: UInt64) throws(AttachmentError) {
        let n = Blob.chunkCount(size: size)
        let file = try BlobFile(path: path(id) + ".part", create: true)
        fetch.file = file
        fetch.have = [Bool](repeating: false, count: n)
        let length = file.length()
        for index in 0..<n where Blob.offset(ofChunk: index) < length {
            let expected = Blob.sealedLength(ofChunk: index, size: size)
            let sealed = try file.read(at: Blob.offset(ofChunk: index), count: expected)
            if sealed.count == expected, Blob.hash(sealed) == fetch.hashes[index] {
                fetch.have[index] = true
                fetch.haveCount += 1
                fetch.heldBytes += UInt64(Blob.plainLength(ofChunk: index, size: size))
            }
        }
        while fetch.cursor < n, fetch.have[fetch.cursor] { fetch.cursor += 1 }
        if fetch.haveCount > 0 {
            logger.info(
                "resuming an attachment", metadata: ["id": "\(id)", "chunks": "\(fetch.haveCount)/\(n)"])
        }
    }

    /// Peers online that may hold `record`'s blob: whoever this node would let fetch it
    /// (they are in the audience of an entry referencing it), the author first.
    func holders(_ record: Record) async -> [NodeID] {
        var out: [NodeID] = []
        for peer in await transport.peers() where await mayHold(record, peer.nodeID) {
            out.append(peer.nodeID)
        }
        return out.filter { $0 == record.from } + out.filter { $0 != record.from }
    }

    /// Whether `peer` may hold `record`'s blob: it wrote an entry referencing it, or it is
    /// in the audience of one.
    private func mayHold(_ record: Record, _ peer: NodeID) async -> Bool {
        guard peer != own else { return false }
        if record.feeds.contains(where: { $0.author == peer.publicKey }) { return true }
        return await mayShare(record, with: peer)
    }

    /// Sends what a fetch needs next: the hash list, then chunks up to the window.
    func pump(_ id: BlobID) async {
        guard let record = records[id], fetches[id] != nil, !record.complete else { return }
        let online = await holders(record)
        guard var fetch = fetches[id], fetch.stall == nil else { return }
        let holders = online.filter { !fetch.refusedBy.contains($0) && fetch.bad[$0, default: 0] < Self.badLimit }
        let size = record.reference.size
        let n = Blob.chunkCount(size: size)
        var sends: [(NodeID, BlobMessage)] = []
        if !fetch.hashesVerified {
            if fetch.hashesFrom == nil, let holder = holders.first {
                fetch.hashesFrom = holder
                fetch.hashesSince = .now
                let first = fetch.hashes.count
                fetch.hashesAsked = min(Int(BlobMessage.maximumHashes), n - first)
                sends.append((holder, .hashesGet(id, first: UInt32(first), count: UInt32(fetch.hashesAsked))))
            }
        } else {
            var index = fetch.cursor
            while fetch.outstanding.count < Self.window, index < n, !holders.isEmpty {
                defer { index += 1 }
                guard !fetch.have[index], fetch.outstanding[index] == nil else { continue }
                let able = holders.filter { !(fetch.lacking[$0]?.contains(index) ?? false) }
                guard !able.isEmpty else { continue }
                let fresh = able.filter { !(fetch.badAt[index]?.contains($0) ?? false) }
                let choices = fresh.isEmpty ? able : fresh
                let holder = choices[fetch.turn % choices.count]
                fetch.turn &+= 1
                fetch.outstanding[index] = (holder, .now)
                sends.append((holder, .chunkGet(id, first: UInt32(index), count: 1)))
            }
        }
        let wasIdle = fetches[id]?.outstanding.isEmpty ?? true
        fetches[id] = fetch
        if sends.isEmpty && fetch.outstanding.isEmpty && wasIdle && fetch.hashesFrom == nil {
            return
        }
        for (peer, message) in sends where !(await transport.send(message.bytes, to: peer, session: nil)) {
            dropRequests(to: peer, id: id)
        }
    }

    private func dropRequests(to peer: NodeID, id: BlobID) {
        guard var fetch = fetches[id] else { return }
        fetch.outstanding = fetch.outstanding.filter { $0.value.peer != peer }
        if fetch.hashesFrom == peer { fetch.hashesFrom = nil }
        fetches[id] = fetch
    }

    /// A page of the hash list arrived.
    func receivedHashes(_ id: BlobID, first: UInt32, _ hashes: [[UInt8]], from peer: NodeID) async {
        guard var fetch = fetches[id], let record = records[id], fetch.hashesFrom == peer,
            !fetch.hashesVerified, Int(first) == fetch.hashes.count
        else { return }
        var size = record.reference.size
        let n = Blob.chunkCount(size: size)
        fetch.hashes += hashes
        fetch.hashesFrom = nil
        // A holder answers the part of a range that exists (§13.4): a short page ends the list.
        if fetch.hashes.count >= n || hashes.count < fetch.hashesAsked {
            // The blob ID commits to the size: the claim whose size matches the list is right.
            let count = fetch.hashes.count
            if let match = record.candidates.firstIndex(where: {
                $0.size != size && Blob.chunkCount(size: $0.size) == count
                    && Blob.id(size: $0.size, hashes: fetch.hashes) == id
            }), Blob.id(size: size, hashes: fetch.hashes) != id {
                let claim = record.candidates[match]
                size = claim.size
                records[id]?.reference = claim
                records[id]?.from = record.candidateAuthors[match]
                if let key = try? claim.blobKey() { records[id]?.key = key }
            }
            if fetch.hashes.count == Blob.chunkCount(size: size), Blob.id(size: size, hashes: fetch.hashes) == id {
                fetch.hashesVerified = true
                let data = Data(fetch.hashes.joined())
                if !FileManager.default.createFile(
                    atPath: path(id) + ".hashes", contents: data, attributes: [.posixPermissions: 0o600])
                {
                    fetch.stall = "cannot write \(path(id)).hashes (is the disk full?)"
                } else {
                    do { try openPart(&fetch, id: id, size: size) } catch { fetch.stall = error.message }
                }
            } else if let other = record.candidates.firstIndex(where: {
                $0.size != size && !fetch.sizesTried.contains($0.size)
            }) {
                // Another entry claims another size: the list may be right for that one.
                fetch.hashes = []
                fetch.sizesTried.insert(size)
                records[id]?.reference = record.candidates[other]
                records[id]?.from = record.candidateAuthors[other]
                if let key = try? record.candidates[other].blobKey() { records[id]?.key = key }
            } else {
                fetch.hashes = []
                fetch.sizesTried = []
                noteBad(&fetch, peer: peer, id: id, what: "a hash list that does not match the blob ID")
                fetch.refusedBy.insert(peer)
            }
        }
        fetches[id] = fetch
        await pump(id)
    }

    /// A chunk arrived: verified against the hash list before anything else.
    func receivedChunk(_ id: BlobID, index: UInt32, _ sealed: [UInt8], from peer: NodeID) async {
        fetchedBytes += UInt64(sealed.count)
        let index = Int(index)
        guard var fetch = fetches[id], let record = records[id], fetch.hashesVerified,
            fetch.outstanding[index]?.peer == peer
        else {
            logger.debug("an unasked-for chunk; dropping it", metadata: ["peer": "\(peer)", "id": "\(id)"])
            return
        }
        fetch.outstanding[index] = nil
        let size = record.reference.size
        guard sealed.count == Blob.sealedLength(ofChunk: index, size: size), Blob.hash(sealed) == fetch.hashes[index]
        else {
            fetch.badAt[index, default: []].insert(peer)
            noteBad(&fetch, peer: peer, id: id, what: "chunk \(index), which does not match its hash")
            fetches[id] = fetch
            await pump(id)
            return
        }
        do {
            guard let file = fetch.file else { return }
            try file.write(sealed, at: Blob.offset(ofChunk: index))
        } catch {
            // Chunks already in flight fail the same way: the stall is told once.
            let told = fetch.stall != nil
            fetch.stall = error.message
            fetches[id] = fetch
            guard !told else { return }
            logger.info("attachment fetch stalled", metadata: ["id": "\(id)", "reason": "\(error.message)"])
            events.publish(
                NodeEvent(
                    type: .attachmentStalled, peer: record.from, detail: error.message, attachment: id.description))
            return
        }
        fetch.have[index] = true
        fetch.haveCount += 1
        fetch.heldBytes += UInt64(Blob.plainLength(ofChunk: index, size: size))
        while fetch.cursor < fetch.have.count, fetch.have[fetch.cursor] { fetch.cursor += 1 }
        // Progress is told every 500 ms, and at every 5 % of the file however fast it comes.
        let now = ContinuousClock.now
        let step = fetch.heldBytes * 20 / max(1, size)
        if fetch.lastProgress.map({ now - $0 >= .milliseconds(500) }) ?? true || step > fetch.progressStep {
            fetch.lastProgress = now
            fetch.progressStep = step
            events.publish(
                NodeEvent(
                    type: .attachmentProgress, peer: record.from, attachment: id.description, bytes: fetch.heldBytes,
                    total: size))
        }
        fetches[id] = fetch
        if fetch.haveCount == fetch.have.count {
            finish(id)
        } else {
            await pump(id)
        }
    }

    private func noteBad(_ fetch: inout Fetch, peer: NodeID, id: BlobID, what: String) {
        fetch.bad[peer, default: 0] += 1
        logger.info(
            "a peer sent a bad copy; asking again", metadata: ["peer": "\(peer)", "id": "\(id)", "what": "\(what)"])
        events.publish(NodeEvent(type: .attachmentBadChunk, peer: peer, detail: what, attachment: id.description))
    }

    /// Every chunk verified: durable, then renamed into place, then counted as held.
    private func finish(_ id: BlobID) {
        guard let fetch = fetches[id], let file = fetch.file, let record = records[id] else { return }
        do {
            try file.sync()
        } catch {
            fetches[id]?.stall = error.message
            return
        }
        file.close()
        guard rename(path(id) + ".part", path(id)) == 0 else {
            fetches[id]?.stall = "cannot move \(path(id)).part into place"
            return
        }
        fetches[id] = nil
        records[id]?.complete = true
        settleKey(id)
        logger.info("attachment complete", metadata: ["id": "\(id)", "bytes": "\(record.reference.size)"])
        events.publish(
            NodeEvent(
                type: .attachmentComplete, peer: record.from, detail: record.reference.name, attachment: id.description,
                bytes: record.reference.size, total: record.reference.size))
    }

    /// A holder refused a request.
    func receivedRefusal(
        _ id: BlobID, index: UInt32, _ reason: BlobMessage.Reason, _ text: String, from peer: NodeID
    )
        async
    {
        guard var fetch = fetches[id] else { return }
        logger.debug(
            "a holder refused", metadata: ["peer": "\(peer)", "id": "\(id)", "reason": "\(reason)", "text": "\(text)"])
        let index = Int(index)
        if fetch.hashesFrom == peer {
            fetch.hashesFrom = nil
            fetch.refusedBy.insert(peer)
        } else if fetch.outstanding[index]?.peer == peer {
            fetch.outstanding[index] = nil
            if reason == .notHeld {
                fetch.lacking[peer, default: []].insert(index)
            } else {
                fetch.refusedBy.insert(peer)
            }
        }
        fetches[id] = fetch
        await pump(id)
    }

    /// A channel opened: fetches waiting for a holder may go on.
    package func connected(_ peer: NodeID) async {
        for id in fetches.keys { await pump(id) }
    }

    /// A channel closed: what was asked of that peer is asked of others.
    package func disconnected(_ peer: NodeID) async {
        for id in fetches.keys {
            dropRequests(to: peer, id: id)
            await pump(id)
        }
    }

    /// Once a second: requests unanswered too long go to another holder, refusals and a full
    /// disk are tried again (a holder may have got the blob since; space may be free).
    package func tick() async {
        let now = ContinuousClock.now
        for id in fetches.keys {
            guard var fetch = fetches[id] else { continue }
            fetch.outstanding = fetch.outstanding.filter { now - $0.value.since < Self.requestTimeout }
            if let since = fetch.hashesSince, now - since >= Self.requestTimeout { fetch.hashesFrom = nil }
            fetch.refusedBy = []
            fetch.lacking = [:]
            if fetch.stall != nil {
                fetch.stall = nil
                if fetch.hashesVerified, fetch.file == nil, let record = records[id] {
                    do { try openPart(&fetch, id: id, size: record.reference.size) } catch {
                        fetch.stall = error.message
                    }
                }
            }
            fetches[id] = fetch
            await pump(id)
        }
    }
}
