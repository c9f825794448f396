import Foundation
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

extension Attachments {
    /// A blob message from `peer` (Protocol.md §13.4): a request is served or refused, an
    /// answer goes to its fetch. A message that does not decode closes the channel.
    package func received(_ bytes: [UInt8], from peer: PeerInfo) async -> MessageVerdict {
        let message: BlobMessage
        do { message = try BlobMessage(bytes: bytes) } catch {
            logger.info(
                "peer broke the blob protocol", metadata: ["peer": "\(peer.nodeID)", "reason": "\(error.message)"])
            return .close(.protocolError, error.message)
        }
        let nodeID = peer.nodeID
        switch message {
        case .hashesGet(let id, let first, let count):
            await serveHashes(id, first: Int(first), count: Int(count), to: nodeID)
        case .chunkGet(let id, let first, let count):
            await serveChunks(id, first: Int(first), count: Int(count), to: nodeID)
        case .hashes(let id, let first, let hashes):
            await receivedHashes(id, first: first, hashes, from: nodeID)
        case .chunk(let id, let index, let sealed):
            await receivedChunk(id, index: index, sealed, from: nodeID)
        case .refuse(let id, let index, let reason, let text):
            await receivedRefusal(id, index: index, reason, text, from: nodeID)
        }
        return .keep
    }

    /// Whether `peer` may have blob `id`: see ``mayShare(_:with:)``. A blob only uploaded,
    /// or unknown, is nobody's.
    func mayServe(_ id: BlobID, to peer: NodeID) async -> Bool {
        guard let record = records[id] else { return false }
        return await mayShare(record, with: peer)
    }

    /// Whether `record`'s blob may go to `peer`: this node holds an entry referencing it that
    /// it would serve to `peer` (§8.1, §10.5), that `peer` can read — not a removed
    /// member — and that `peer` did not write (§13.3). A right to a blob comes from others'
    /// entries only: a reference `peer` wrote itself (a DM naming a group photo's ID, say)
    /// proves nothing about what it may have.
    func mayShare(_ record: Record, with peer: NodeID) async -> Bool {
        guard peer != own else { return false }
        for feed in record.feeds where feed.author != peer.publicKey {
            if await policy.mayServeAttachments(of: feed, to: peer) { return true }
        }
        return false
    }

    private func refuse(_ id: BlobID, index: Int, _ reason: BlobMessage.Reason, _ text: String, to peer: NodeID) async {
        logger.debug(
            "refusing a blob request", metadata: ["peer": "\(peer)", "id": "\(id)", "reason": "\(reason)"])
        _ = await transport.send(
            BlobMessage.refuse(id, index: UInt32(index), reason, text).bytes, to: peer, session: nil)
    }

    private static let notAuthorisedText = "not authorised: no entry referencing this blob is shared with you"

    private func serveHashes(_ id: BlobID, first: Int, count: Int, to peer: NodeID) async {
        guard await mayServe(id, to: peer), let record = records[id] else {
            await refuse(id, index: first, .notAuthorised, Self.notAuthorisedText, to: peer)
            return
        }
        let n = Blob.chunkCount(size: record.reference.size)
        guard first < n else {
            await refuse(id, index: first, .malformed, "the blob has \(n) chunks; no hash \(first)", to: peer)
            return
        }
        let hashes: [[UInt8]]
        if let fetch = fetches[id], fetch.hashesVerified {
            hashes = fetch.hashes
        } else if let data = FileManager.default.contents(atPath: path(id) + ".hashes"), data.count == n * 32 {
            hashes = stride(from: 0, to: data.count, by: 32).map { Array(data[$0..<$0 + 32]) }
        } else {
            await refuse(id, index: first, .notHeld, "this node does not hold the hash list yet", to: peer)
            return
        }
        let end = min(n, first + count)
        _ = await transport.send(
            BlobMessage.hashes(id, first: UInt32(first), Array(hashes[first..<end])).bytes, to: peer, session: nil)
    }

    private func serveChunks(_ id: BlobID, first: Int, count: Int, to peer: NodeID) async {
        guard await mayServe(id, to: peer), let record = records[id] else {
            await refuse(id, index: first, .notAuthorised, Self.notAuthorisedText, to: peer)
            return
        }
        let size = record.reference.size
        let n = Blob.chunkCount(size: size)
        // As for hashes: the part of the range that exists is answered; a range that starts
        // at or past the end is refused with one REFUSE naming its first index (§13.4).
        guard first < n else {
            await refuse(id, index: first, .malformed, "the blob has \(n) chunks; no chunk \(first)", to: peer)
            return
        }
        for index in first..<min(n, first + count) {
            let source: String
            if records[id]?.complete == true {
                source = path(id)
            } else if let fetch = fetches[id], fetch.have.indices.contains(index), fetch.have[index] {
                source = path(id) + ".part"
            } else {
                await refuse(id, index: index, .notHeld, "this node does not hold chunk \(index) yet", to: peer)
                continue
            }
            let sealed: [UInt8]
            do {
                let file = try BlobFile(path: source, create: false)
                defer { file.close() }
                sealed = try file.read(
                    at: Blob.offset(ofChunk: index), count: Blob.sealedLength(ofChunk: index, size: size))
            } catch {
                logger.warning("cannot read a blob", metadata: ["id": "\(id)", "reason": "\(error.message)"])
                await refuse(id, index: index, .notHeld, "this node cannot read chunk \(index)", to: peer)
                continue
            }
            if await transport.send(BlobMessage.chunk(id, index: UInt32(index), sealed).bytes, to: peer, session: nil) {
                servedBytes += UInt64(sealed.count)
            }
        }
    }
}
