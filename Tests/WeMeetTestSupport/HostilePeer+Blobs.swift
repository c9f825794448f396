import WeMeetAttachments
import WeMeetModel

extension HostilePeer {
    /// The reasons of the blob REFUSEs received, in order (Protocol.md §13.4).
    package static func blobRefusals(_ received: [Received]) -> [BlobMessage.Reason] {
        received.compactMap { item in
            guard case .other(let raw) = item, case .refuse(_, _, let reason, _)? = try? BlobMessage(bytes: raw) else {
                return nil
            }
            return reason
        }
    }

    /// Answers the node's requests for `file` (its sealed bytes and hash list) until it asks for
    /// a chunk of the second half: then the node holds the first half, less at most a window.
    public func serveFirstHalf(of file: Attachment, sealed: [UInt8], hashes: [UInt8]) async throws {
        let id = try BlobID(hex: file.id)
        let half = Blob.chunkCount(size: file.size) / 2
        var answered = 0
        while true {
            let request = await first(
                { item -> BlobMessage? in
                    guard case .other(let raw) = item, let message = try? BlobMessage(bytes: raw) else { return nil }
                    switch message {
                    case .hashesGet, .chunkGet: return message
                    default: return nil
                    }
                }, skipping: answered)
            answered += 1
            guard let request else { return }
            if case .hashesGet(_, let first, let count) = request {
                let end = min(hashes.count / 32, Int(first) + Int(count))
                let list = (Int(first)..<end).map { Array(hashes[$0 * 32..<$0 * 32 + 32]) }
                try await send(BlobMessage.hashes(id, first: first, list).bytes)
            } else if case .chunkGet(_, let first, _) = request {
                let index = Int(first)
                // The node asks for chunk `half` only once at most a window (3) of earlier ones
                // are still in flight: the rest are stored.
                if index >= half { return }
                let start = Int(Blob.offset(ofChunk: index))
                try await send(
                    BlobMessage.chunk(
                        id, index: first,
                        Array(sealed[start..<start + Blob.sealedLength(ofChunk: index, size: file.size)])
                    ).bytes)
            }
        }
    }
}
