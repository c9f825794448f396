import Foundation
import WeMeetAttachments
import WeMeetCrypto
import WeMeetMessaging
import WeMeetModel
import WeMeetStore

extension Node {
    /// Seals an upload into a blob here (Protocol.md §13): `body` yields the file's bytes,
    /// `size` long. Returns the attachment, to name in a message or post (`attachments`).
    public func upload<Body: AsyncSequence & Sendable>(
        _ body: Body, size: UInt64, name: String, mediaType: String? = nil, voice: Bool = false,
        durationMs: UInt64? = nil
    ) async throws(NodeError) -> Attachment where Body.Element == [UInt8] {
        let attachments = try running().attachments
        do {
            return try await attachments.upload(
                body, size: size, name: name, type: mediaType, voice: voice, durationMs: durationMs
            ).view
        } catch {
            throw NodeError(code: error.code == .malformed ? .invalidArgument : .io, message: error.message)
        }
    }

    /// Every attachment this node knows, with the state of its blob here.
    public func attachments() async throws(NodeError) -> AttachmentList {
        try await running().attachments.list()
    }

    /// One attachment's state.
    public func attachment(_ id: String) async throws(NodeError) -> AttachmentStatus {
        try await running().attachments.status(id)
    }

    /// The automatic attachment size: attachments up to it are fetched as soon as their
    /// entry arrives, larger ones when asked (Protocol.md §13.3).
    public func automaticAttachmentBytes() async throws(NodeError) -> UInt64 {
        try await running().attachments.automaticBytes
    }

    /// Records a new automatic attachment size (0: fetch nothing by itself); durable when
    /// it returns. Attachments now under it start fetching.
    public func setAutomaticAttachmentBytes(_ bytes: UInt64) async throws(NodeError) -> UInt64 {
        guard bytes <= SettingsValues.automaticAttachmentLimit else {
            throw NodeError(
                code: .invalidArgument,
                message: "automatic_attachment_bytes is at most \(SettingsValues.automaticAttachmentLimit) (1 TiB)")
        }
        let running = try running()
        try await running.settings.change { $0.automaticAttachmentBytes = bytes }
        await running.attachments.setAutomaticBytes(bytes)
        return bytes
    }

    /// Asks for an attachment whatever its size (and after restarts, until it is here).
    public func fetchAttachment(_ id: String) async throws(NodeError) -> AttachmentStatus {
        try await running().attachments.fetch(id)
    }

    /// Stops fetching attachment `id` until the user asks again; what arrived is kept.
    public func cancelAttachmentFetch(_ id: String) async throws(NodeError) -> AttachmentStatus {
        try await running().attachments.cancelFetch(id)
    }

    /// The plaintext of a complete attachment's chunk `index` (chunks are ``chunkSize``
    /// bytes; the last may be shorter).
    public func attachmentChunk(_ id: String, index: Int) async throws(NodeError) -> [UInt8] {
        let attachments = try running().attachments
        let record = try await attachments.resolve(id)
        do { return try await attachments.plaintext(record.id, chunk: index) } catch {
            throw NodeError(code: .conflict, message: error.message)
        }
    }

    /// Plaintext bytes per chunk of every blob.
    public nonisolated var attachmentChunkSize: Int { Blob.chunkSize }

    /// The references named by `ids` (uploaded or catalogued here).
    package func references(_ ids: [String]) async throws(NodeError) -> [AttachmentReference] {
        let attachments = try running().attachments
        var out: [AttachmentReference] = []
        for id in ids { out.append(try await attachments.reference(id)) }
        return out
    }

    /// Sends a direct message with attachments (IDs from ``upload(_:size:name:mediaType:voice:durationMs:)``).
    public func sendMessage(
        to friend: String, text: String, attachments ids: [String], quote: String? = nil
    ) async throws(NodeError)
        -> DirectMessage
    {
        let references = try await references(ids)
        let friend = try await findFriend(friend)
        let running = try running()
        var quoted: QuoteReference?
        if let quote { quoted = try await running.messages.quoteReference(quote, in: friend) }
        var message = try await running.messages.send(text, attachments: references, quote: quoted, to: friend)
        message.friendOnline = await running.manager.peer(friend.nodeID) != nil
        if !references.isEmpty { await askRelaysToHold(references, for: friend.nodeID, running: running) }
        return message
    }

    /// Asks the friends connected now who relay for `reader` to keep these blobs of our mail
    /// (HOLD, Protocol.md §8.5), unless the user keeps its mail off relays. (A relay met later
    /// is asked when it connects: ``NodeDelegate``.)
    private func askRelaysToHold(_ references: [AttachmentReference], for reader: NodeID, running: Running) async {
        guard await running.settings.values.friendsRelayMine else { return }
        let holds = HoldMessage.asking(for: reader, references)
        for peer in await running.manager.peers() where peer.nodeID != reader {
            guard await running.mutual.relays(peer.nodeID, for: reader) else { continue }
            for hold in holds { await running.manager.send(hold.bytes, to: peer.nodeID) }
        }
    }

    /// Posts in a group with attachments; `quote` names a post of the group it answers.
    public func post(
        _ text: String, to group: String, reply: String? = nil, attachments ids: [String], mentions: [String] = [],
        quote: String? = nil
    )
        async throws(NodeError) -> FeedPost
    {
        let references = try await references(ids)
        let groups = try running().groups
        return try await groups.post(
            try await groups.resolve(group), text: text, reply: reply, attachments: references, mentions: mentions,
            quote: quote)
    }

    /// Posts a moment with attachments.
    public func postMoment(_ text: String, attachments ids: [String]) async throws(NodeError) -> FeedPost {
        let references = try await references(ids)
        return try await running().groups.postMoment(text, attachments: references)
    }
}
