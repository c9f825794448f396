import Foundation
import Logging
import WeMeetAttachments
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// Direct messages between friends (Protocol.md §9): each direction is its author's DM feed
/// for the other, every entry sealed end to end (``DirectCipher``); the recipient writes
/// receipts (delivered, read) to its own feed, which is how the sender learns the status.
package actor DirectMessages: IngestConsumer {
    /// The content type of every DM entry; what it holds is inside the ciphertext.
    package static let contentType: UInt16 = 0x0201
    /// The longest message text, in UTF-8 bytes.
    package static let maximumTextBytes = 16_384
    /// How long a node gathers incoming messages before writing one delivered-receipt.
    package static let receiptDelay: Duration = .milliseconds(20)

    /// What a sealed DM entry holds (the first plaintext byte).
    package enum Kind: UInt8 {
        case message = 1
        case receipt = 2
        /// A message with attachments: JSON `{"attachments":[reference…],"text":"…"}` (§13.2).
        case attachments = 3
        /// A recall: `seq u64` ‖ `id[32]`, asking readers to hide the author's own message at
        /// `seq` of this same feed (§9.2).
        case recall = 4
    }

    /// How long after a message a recall of it is honoured, by the reader's own clock.
    package static let recallWindow = RecallLedger.window

    /// The body of a ``Kind/attachments`` message: `{"attachments":[…],"quote":{…},"text":"…"}`.
    package struct WithAttachments: Codable {
        package var attachments: [AttachmentReference]
        /// A reply's quote; one that does not decode is dropped, and the message stands.
        package var quote: QuoteReference?
        package var text: String

        package init(attachments: [AttachmentReference], quote: QuoteReference?, text: String) {
            self.attachments = attachments
            self.quote = quote
            self.text = text
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            attachments = try container.decode([AttachmentReference].self, forKey: .attachments)
            text = try container.decode(String.self, forKey: .text)
            quote = try? container.decodeIfPresent(QuoteReference.self, forKey: .quote)
        }
    }

    /// A message body: its text, references and quote.
    package struct Body {
        package var text: String
        package var references: [AttachmentReference]
        package var quote: QuoteReference?
    }

    /// The text, references and quote of a message body (nil for one that does not decode).
    private static func message(_ kind: Kind, _ body: [UInt8]) -> Body? {
        switch kind {
        case .message: return Body(text: String(decoding: body, as: UTF8.self), references: [], quote: nil)
        case .attachments:
            guard let decoded = try? JSONDecoder().decode(WithAttachments.self, from: Data(body)),
                decoded.attachments.count <= AttachmentReference.maximumPerEntry
            else { return nil }
            return Body(text: decoded.text, references: decoded.attachments, quote: decoded.quote)
        case .receipt, .recall: return nil
        }
    }

    /// "I hold your entries up to `delivered`, and my user has seen those up to `read`."
    package struct Receipt: Equatable {
        package var delivered: UInt64 = 0
        package var read: UInt64 = 0

        package init(delivered: UInt64 = 0, read: UInt64 = 0) {
            self.delivered = delivered
            self.read = read
        }
    }

    private let key: Ed25519.PrivateKey
    private let store: Store
    private let friends: FriendBook
    private let events: EventHub
    private let logger: Logger
    private let growth: FeedGrowth
    private let finds: AttachmentFinds
    private var ciphers: [FeedID: DirectCipher] = [:]
    /// "Does not decrypt" log lines, at most one per friend every 10 s (§8.4).
    private var unreadableLog = LogRateLimit()
    /// The latest receipt each friend wrote about our messages.
    private var theirReceipts: [NodeID: Receipt] = [:]
    /// The latest receipt we wrote about each friend's messages.
    private var ourReceipts: [NodeID: Receipt] = [:]
    private var receiptPending: Set<NodeID> = []
    /// When recent messages arrived, and which were recalled (kept in `recallsPath`).
    private var recalls: RecallLedger
    private let clock: ArrivalClock
    /// Who holds our mail and who brought mail to us (§8.5), for the status.
    private let relayed: RelayedMail

    package init(
        key: Ed25519.PrivateKey, store: Store, friends: FriendBook, growth: FeedGrowth, finds: AttachmentFinds,
        events: EventHub, logger: Logger, countsPath: String? = nil, recallsPath: String? = nil,
        clock: ArrivalClock = .system, relayed: RelayedMail = RelayedMail()
    ) {
        self.relayed = relayed
        recalls = RecallLedger(path: recallsPath)
        self.clock = clock
        self.countsPath = countsPath
        if let countsPath, let data = FileManager.default.contents(atPath: countsPath),
            let saved = try? JSONDecoder().decode([String: Counted].self, from: data)
        {
            for (hex, counts) in saved {
                // A file that does not add up (edited, or from a bug) is not believed: that
                // feed is counted again from the store.
                guard let feed = try? FeedID(hex: hex), counts.isConsistent else { continue }
                counted[feed] = counts
            }
        }
        self.key = key
        self.finds = finds
        self.growth = growth
        self.store = store
        self.friends = friends
        self.events = events
        self.logger = logger
    }

    // MARK: Keys and feeds

    private func cipher(_ friend: NodeID, outgoing: Bool) throws(NodeError) -> DirectCipher {
        let feed =
            outgoing
            ? Feed(author: key.publicKey, kind: .direct, audience: friend.publicKey.rawRepresentation)
            : Feed(author: friend.publicKey, kind: .direct, audience: key.publicKey.rawRepresentation)
        if let known = ciphers[feed.id] { return known }
        do {
            let cipher = try DirectCipher(own: key, other: friend.publicKey, outgoing: outgoing)
            ciphers[feed.id] = cipher
            return cipher
        } catch {
            throw NodeError(code: .invalidArgument, message: "cannot derive a key with \(friend.shortForm): \(error)")
        }
    }

    /// Opens a DM entry: its kind and body, or nil (logged) when it does not open.
    private func open(_ entry: Entry, cipher: DirectCipher) -> (Kind, [UInt8])? {
        guard entry.contentType == Self.contentType, let plain = try? cipher.open(entry.payload),
            let first = plain.first, let kind = Kind(rawValue: first)
        else {
            logger.debug(
                "a direct-message entry does not open; skipping it",
                metadata: ["feed": "\(entry.feedID)", "seq": "\(entry.seq)"])
            return nil
        }
        return (kind, Array(plain.dropFirst()))
    }

    private static func decodeReceipt(_ body: [UInt8]) -> Receipt? {
        guard body.count == 16 else { return nil }
        let delivered = body[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let read = body[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Receipt(delivered: delivered, read: read)
    }

    // MARK: Sending

    /// Writes a message to `friend`'s DM feed: durable here when this returns, then pushed
    /// (now if connected, else by sync when they meet).
    package func send(
        _ text: String, attachments: [AttachmentReference] = [], quote: QuoteReference? = nil, to friend: Friend
    ) async throws(NodeError)
        -> DirectMessage
    {
        let nodeID = try Self.nodeID(friend)
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty || !attachments.isEmpty else {
            throw NodeError(code: .invalidArgument, message: "the message is empty")
        }
        guard attachments.count <= AttachmentReference.maximumPerEntry else {
            throw NodeError(
                code: .invalidArgument,
                message:
                    "\(attachments.count) attachments; a message carries at most \(AttachmentReference.maximumPerEntry)"
            )
        }
        guard bytes.count <= Self.maximumTextBytes else {
            throw NodeError(
                code: .invalidArgument,
                message: "the message is \(bytes.count) bytes; the limit is \(Self.maximumTextBytes) (16 KiB)")
        }
        let plaintext: [UInt8]
        if attachments.isEmpty && quote == nil {
            plaintext = [Kind.message.rawValue] + bytes
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard let json = try? encoder.encode(WithAttachments(attachments: attachments, quote: quote, text: text))
            else {
                throw NodeError(code: .invalidArgument, message: "cannot encode the attachments")
            }
            plaintext = [Kind.attachments.rawValue] + Array(json)
        }
        let entry = try await append(plaintext, to: nodeID)
        noteSeen(entry.id.description)
        finds.announce(AttachmentFinds.Found(references: attachments, feed: entry.feed, entry: entry.id.description))
        var message = DirectMessage(
            id: entry.id.description, friend: friend.nodeID, direction: .outgoing, from: "me", text: text,
            sentAt: Self.date(entry.timestamp), seq: entry.seq, status: .sent,
            attachments: attachments.isEmpty ? nil : attachments.map(\.view))
        if let quote { message.quote = await quoted(quote, in: friend) }
        return message
    }

    /// Sends waiting to be appended, per friend, and whether a writer is appending them.
    private var outgoing: [NodeID: [(payload: [UInt8], done: CheckedContinuation<Entry, any Error>)]] = [:]
    private var writing: Set<NodeID> = []

    /// Seals `plaintext` and appends it to our feed for `nodeID`. Concurrent sends to one
    /// friend are appended together, a batch per turn (one feed is written in order, so
    /// they would otherwise take turns one by one).
    private func append(_ plaintext: [UInt8], to nodeID: NodeID) async throws(NodeError) -> Entry {
        let cipher = try cipher(nodeID, outgoing: true)
        let payload = cipher.seal(plaintext)
        do {
            return try await withCheckedThrowingContinuation { continuation in
                outgoing[nodeID, default: []].append((payload, continuation))
                if writing.insert(nodeID).inserted {
                    Task { await self.write(nodeID, cipher: cipher) }
                }
            }
        } catch {
            throw NodeError(code: .io, message: "cannot store the message: \(error)")
        }
    }

    /// Appends what is waiting for `nodeID`, batch after batch, until nothing is left.
    private func write(_ nodeID: NodeID, cipher: DirectCipher) async {
        while let batch = outgoing.removeValue(forKey: nodeID), !batch.isEmpty {
            do {
                let entries = try await store.append(
                    to: cipher.feed, contents: batch.map { (Self.contentType, $0.payload) }, key: key)
                for (waiting, entry) in zip(batch, entries) { waiting.done.resume(returning: entry) }
                if let last = entries.last { growth.grew(cipher.feed, to: last.seq) }
            } catch {
                for waiting in batch { waiting.done.resume(throwing: error) }
            }
        }
        writing.remove(nodeID)
    }

    // MARK: Quotes

    /// How far back a reply may quote: the user's own action scans at most this many messages.
    package static let quoteReach = 5_000

    /// The quote of message `id` of the conversation with `friend`, for a reply: its author,
    /// seq and ID. `400` for an ID that is not one of the last ``quoteReach`` messages.
    package func quoteReference(_ id: String, in friend: Friend) async throws(NodeError) -> QuoteReference {
        let wanted = id.lowercased()
        guard wanted.count == 64, wanted.allSatisfy(\.isHexDigit) else {
            throw NodeError(code: .invalidArgument, message: "a quote names a message by its ID (64 hex digits)")
        }
        let page = try await conversation(with: friend, limit: Self.quoteReach)
        guard let message = page.messages.first(where: { $0.id == wanted }) else {
            throw NodeError(
                code: .invalidArgument,
                message: "no message \(wanted.prefix(12))… among the last \(Self.quoteReach) with \(friend.name)")
        }
        let author = message.direction == .outgoing ? NodeID(publicKey: key.publicKey) : friend.nodeID
        return QuoteReference(author: author.description, id: wanted, seq: message.seq)
    }

    /// What a reply's quote shows, read from this node's own store: the entry at `seq` of the
    /// author's DM feed for the other must be a message of this conversation with that ID.
    /// Anything else — another conversation's entry, a receipt, a forged ID, a seq not held —
    /// is "not available", and nothing of it is shown.
    package func quoted(_ quote: QuoteReference, in friend: Friend) async -> QuotedMessage {
        let unavailable = QuotedMessage(id: String(quote.id.prefix(64)), available: false)
        guard let author = try? NodeID(quote.author), quote.seq > 0,
            let cipher = try? cipher(friend.nodeID, outgoing: author != friend.nodeID),
            author == friend.nodeID || author == NodeID(publicKey: key.publicKey),
            quote.seq <= (await store.head(of: cipher.feed.id)),
            let entry = try? await store.entries(of: cipher.feed.id, seqs: quote.seq...quote.seq).first,
            entry.id.description == quote.id.lowercased(),
            let (kind, body) = open(entry, cipher: cipher),
            let message = Self.message(kind, body), !recalls.isRecalled(entry.id.description)
        else { return unavailable }
        return QuotedMessage(
            id: entry.id.description, available: true, from: author == friend.nodeID ? friend.name : "me",
            text: message.text, attachments: message.references.count)
    }

    // MARK: Recall

    /// Notes that message `id` arrived or was written now (for the recall window).
    private func noteSeen(_ id: String) { recalls.noteSeen(id, at: clock.now()) }

    /// Whether message `id` arrived or was written here within the recall window.
    private func withinWindow(_ id: String) -> Bool { recalls.withinWindow(id, at: clock.now()) }

    private func keepRecalled(_ id: String) { recalls.keep(id) }

    /// Recalls one of this node's own messages to `friend` (WeChat's 撤回): within
    /// ``recallWindow`` of writing it, by this node's own clock. Readers honour it under the
    /// same rule by their clocks; one that already showed it may have kept it.
    package func recall(_ id: String, in friend: Friend) async throws(NodeError) -> DirectMessage {
        let wanted = id.lowercased()
        let page = try await conversation(with: friend, limit: Self.quoteReach)
        guard let message = page.messages.first(where: { $0.id == wanted }) else {
            throw NodeError(code: .notFound, message: "no message \(wanted.prefix(12))… with \(friend.name)")
        }
        guard message.direction == .outgoing else {
            throw NodeError(code: .invalidArgument, message: "only your own messages can be recalled")
        }
        if message.recalled == true { return message }
        guard withinWindow(wanted), let idBytes = try? Hex.decode(wanted), idBytes.count == 32 else {
            throw NodeError(
                code: .conflict, message: "too late: a message can be recalled within 2 minutes of sending it")
        }
        var body = [Kind.recall.rawValue]
        withUnsafeBytes(of: message.seq.bigEndian) { body += $0 }
        body += idBytes
        _ = try await append(body, to: friend.nodeID)
        keepRecalled(wanted)
        var shown = message
        shown.text = ""
        shown.attachments = nil
        shown.quote = nil
        shown.recalled = true
        return shown
    }

    /// A friend's recall: honoured when it names that friend's own message in this same feed
    /// (by seq, checked by ID) that arrived here within ``recallWindow`` before the recall did,
    /// by this node's clock — never by the timestamps the friend wrote.
    private func honourRecall(_ entry: Entry, _ body: [UInt8], cipher: DirectCipher, friend: NodeID, name: String) async
    {
        guard body.count == 40 else { return }
        let seq = body.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let id = Hex.encode(Array(body.suffix(32)))
        guard seq > 0, seq < entry.seq,
            let target = try? await store.entries(of: cipher.feed.id, seqs: seq...seq).first,
            target.id.description == id, let (kind, plain) = open(target, cipher: cipher),
            Self.message(kind, plain) != nil
        else {
            logger.info("a recall that names no message of its author is ignored", metadata: ["peer": "\(friend)"])
            return
        }
        guard withinWindow(id) else {
            logger.info(
                "a recall past the window is ignored", metadata: ["peer": "\(friend)", "seq": "\(seq)"])
            return
        }
        keepRecalled(id)
        events.publish(NodeEvent(type: .dmRecalled, peer: friend, detail: id, name: name))
    }

    // MARK: Receiving

    /// Entries sync stored from `peer`: announce new messages, note receipts, and schedule
    /// our delivered-receipt. Each friend's entries may come from the friend or through a
    /// friend who held them (Protocol.md §8.5): they are the author's either way.
    package func ingested(_ entries: [Entry], from peer: PeerInfo) async {
        let own = key.publicKey.rawRepresentation
        var authors: [NodeID] = []
        var byAuthor: [NodeID: [Entry]] = [:]
        for entry in entries where entry.feed.kind == .direct && entry.feed.audience == own {
            let author = NodeID(publicKey: entry.feed.author)
            if byAuthor[author] == nil { authors.append(author) }
            byAuthor[author, default: []].append(entry)
        }
        for author in authors {
            let name = author == peer.nodeID ? peer.displayName : await friends.friend(author)?.name
            await ingested(byAuthor[author] ?? [], friend: author, name: name ?? author.shortForm)
        }
    }

    /// Entries of `nodeID`'s feed for this node, just stored.
    private func ingested(_ entries: [Entry], friend nodeID: NodeID, name: String) async {
        guard let incoming = try? cipher(nodeID, outgoing: false) else { return }
        var newMessages = false
        // What its receipts said before these (they are in the store already).
        if theirReceipts[nodeID] == nil,
            let first = entries.lazy.filter({ $0.feedID == incoming.feed.id }).map(\.seq).min()
        {
            theirReceipts[nodeID] = await latestReceipt(in: incoming.feed.id, cipher: incoming, below: first)
        }
        for entry in entries where entry.feedID == incoming.feed.id {
            guard let (kind, body) = open(entry, cipher: incoming) else {
                let (write, held) = unreadableLog.admit(nodeID.description)
                if write {
                    logger.info(
                        "a direct message from a friend does not decrypt; it is kept but not shown",
                        metadata: ["peer": "\(nodeID)", "seq": "\(entry.seq)", "heldBack": "\(held)"])
                }
                events.publish(
                    NodeEvent(
                        type: .dmUnreadable, peer: nodeID,
                        detail: "entry \(entry.seq) does not decrypt (tampered, or not sealed for this node)"))
                continue
            }
            switch kind {
            case .message, .attachments:
                guard let message = Self.message(kind, body) else { continue }
                noteSeen(entry.id.description)
                newMessages = true
                finds.announce(
                    AttachmentFinds.Found(references: message.references, feed: entry.feed, entry: entry.id.description)
                )
                events.publish(
                    NodeEvent(type: .dmReceived, peer: nodeID, detail: message.text, name: name))
            case .recall:
                await honourRecall(entry, body, cipher: incoming, friend: nodeID, name: name)
            case .receipt:
                guard let receipt = Self.decodeReceipt(body) else { continue }
                // Receipts are cumulative and arrive in order: the newest one is the state.
                // (Not loaded from the store here: it already holds this entry.)
                var known = theirReceipts[nodeID] ?? Receipt()
                // A receipt a relay brought says our messages were "delivered via" it (§8.5).
                if receipt.delivered > known.delivered,
                    let relay = await relayed.bringer(of: entry.feedID, seq: entry.seq),
                    let outgoing = try? cipher(nodeID, outgoing: true)
                {
                    await relayed.brought(outgoing.feed.id, seqs: known.delivered + 1...receipt.delivered, by: relay)
                }
                if receipt.delivered > known.delivered || receipt.read > known.read {
                    known.delivered = max(known.delivered, receipt.delivered)
                    known.read = max(known.read, receipt.read)
                    theirReceipts[nodeID] = known
                    events.publish(
                        NodeEvent(
                            type: .dmStatus, peer: nodeID,
                            detail: "delivered \(known.delivered) read \(known.read)", name: name))
                }
            }
        }
        if newMessages { scheduleReceipt(nodeID) }
    }

    private func scheduleReceipt(_ nodeID: NodeID) {
        guard receiptPending.insert(nodeID).inserted else { return }
        Task {
            try? await Task.sleep(for: Self.receiptDelay)
            await self.writeReceipt(nodeID, read: nil)
        }
    }

    /// Read marks asked for and not yet written, per friend.
    private var readMarks: [NodeID: UInt64] = [:]
    /// Friends whose receipt is being written, and those to write again after that.
    private var receiptWriting: Set<NodeID> = []
    private var receiptAgain: Set<NodeID> = []

    /// Writes a receipt to `nodeID`: delivered up to what we hold of its feed, and `read`
    /// (or the last read mark). One writer per friend (two interleaved writers could write
    /// an older state last); a call while one writes makes it go round once more.
    private func writeReceipt(_ nodeID: NodeID, read: UInt64?) async {
        receiptPending.remove(nodeID)
        if let read { readMarks[nodeID] = max(readMarks[nodeID] ?? 0, read) }
        guard receiptWriting.insert(nodeID).inserted else {
            receiptAgain.insert(nodeID)
            return
        }
        defer { receiptWriting.remove(nodeID) }
        guard let incoming = try? cipher(nodeID, outgoing: false) else { return }
        repeat {
            receiptAgain.remove(nodeID)
            let current = await receipt(nodeID, ours: true)
            let delivered = max(current.delivered, await store.head(of: incoming.feed.id))
            let newRead = max(current.read, readMarks[nodeID] ?? 0)
            guard delivered > current.delivered || newRead > current.read else { continue }
            var body = [Kind.receipt.rawValue]
            body.appendBigEndian(delivered)
            body.appendBigEndian(newRead)
            do {
                _ = try await append(body, to: nodeID)
                ourReceipts[nodeID] = Receipt(delivered: delivered, read: newRead)
            } catch {
                logger.warning("cannot write a receipt", metadata: ["peer": "\(nodeID)", "reason": "\(error)"])
                return
            }
        } while receiptAgain.contains(nodeID)
    }

    /// The latest receipt in `feed` (newest first, reading back a chunk at a time).
    private func latestReceipt(in feed: FeedID, cipher: DirectCipher, below: UInt64 = .max) async -> Receipt {
        var upper = min(await store.head(of: feed), below - 1)
        while upper > 0 {
            let lower = upper > 64 ? upper - 63 : 1
            let entries = (try? await store.entries(of: feed, seqs: lower...upper)) ?? []
            for entry in entries.reversed() {
                if let (kind, body) = open(entry, cipher: cipher), kind == .receipt,
                    let receipt = Self.decodeReceipt(body)
                {
                    return receipt
                }
            }
            upper = lower - 1
        }
        return Receipt()
    }

    /// The latest receipt `nodeID` wrote about our messages (`ours: false`), or we wrote
    /// about its (`ours: true`): read from the store once, then kept up to date.
    /// The last of our messages to `friend` it said it holds (its delivered-receipt, §9.3):
    /// mail for it deposited with a relay starts after this (§8.5).
    package func deliveredTo(_ friend: NodeID) async -> UInt64 {
        await receipt(friend, ours: false).delivered
    }

    /// The attachments of our messages `friend` has not yet said it holds (after its
    /// delivered-receipt), oldest first, from at most the last ``undeliveredWindow`` entries:
    /// what a relay met now is asked to keep for it (HOLD, Protocol.md §8.5). Costs the
    /// undelivered entries, never the history.
    package func undeliveredAttachments(to friend: NodeID) async -> [AttachmentReference] {
        guard let cipher = try? cipher(friend, outgoing: true) else { return [] }
        let delivered = await deliveredTo(friend)
        let head = await store.head(of: cipher.feed.id)
        guard head > delivered else { return [] }
        let first = max(delivered + 1, head > Self.undeliveredWindow ? head - Self.undeliveredWindow + 1 : 1)
        guard let entries = try? await store.entries(of: cipher.feed.id, seqs: first...head) else { return [] }
        var out: [AttachmentReference] = []
        for entry in entries where !recalls.isRecalled(entry.id.description) {
            guard let (kind, body) = open(entry, cipher: cipher), let message = Self.message(kind, body) else {
                continue
            }
            out += message.references
        }
        return out
    }

    /// How many of the newest undelivered entries ``undeliveredAttachments(to:)`` looks at.
    package static let undeliveredWindow: UInt64 = 1024

    /// The last receipt this node wrote to `friend`: how much of its messages it holds and read.
    package func receiptWritten(to friend: NodeID) async -> Receipt { await receipt(friend, ours: true) }

    private func receipt(_ nodeID: NodeID, ours: Bool) async -> Receipt {
        if let known = ours ? ourReceipts[nodeID] : theirReceipts[nodeID] { return known }
        guard let cipher = try? cipher(nodeID, outgoing: ours) else { return Receipt() }
        let stored = await latestReceipt(in: cipher.feed.id, cipher: cipher)
        // A newer one may have been noted while the store was read: keep the larger of each.
        let noted = (ours ? ourReceipts[nodeID] : theirReceipts[nodeID]) ?? Receipt()
        let latest = Receipt(delivered: max(stored.delivered, noted.delivered), read: max(stored.read, noted.read))
        if ours { ourReceipts[nodeID] = latest } else { theirReceipts[nodeID] = latest }
        return latest
    }

    // MARK: Reading

    /// One page of a conversation: its messages oldest first, and the cursor of the page
    /// before them (nil when this page reaches back to the first message).
    package struct Page: Sendable {
        package var messages: [DirectMessage]
        package var earlier: UInt64?
    }

    /// The conversation with `friend` in the order this node stored it (Protocol.md §9.4):
    /// each side's messages in their feed's order, merged as they arrived, so a sender's
    /// clock cannot slip a message into the past. At most `limit` of the latest messages
    /// `before` a cursor (a log offset from an earlier page); `after` (a message ID) stops
    /// at that message — a cursor for following that never misses one; `since` filters by
    /// the senders' clocks. Reads back from the newest entry a chunk at a time, so a page
    /// costs the same however long the history.
    package func conversation(
        with friend: Friend, since: Date? = nil, after: String? = nil, before: UInt64? = nil, limit: Int? = nil
    ) async throws(NodeError)
        -> Page
    {
        let nodeID = try Self.nodeID(friend)
        let outgoing = try cipher(nodeID, outgoing: true)
        let incoming = try cipher(nodeID, outgoing: false)
        let receipt = await receipt(nodeID, ours: false)
        let after = after?.lowercased()
        let wanted = limit ?? .max
        let chunk = limit.map { min(max($0 + $0 / 2 + 1, 16), 512) } ?? 512
        var messages: [DirectMessage] = []
        var cursor = before
        var earlier: UInt64?
        var found = after == nil
        reading: while true {
            let entries: [(offset: UInt64, entry: Entry)]
            do {
                entries = try await store.page(
                    of: [outgoing.feed.id, incoming.feed.id], before: cursor, limit: chunk)
            } catch {
                throw NodeError(code: .io, message: "cannot read the conversation: \(error)")
            }
            for (offset, entry) in entries {
                if let after, entry.id.description == after {
                    found = true
                    break reading
                }
                let out = entry.feedID == outgoing.feed.id
                guard let (kind, body) = open(entry, cipher: out ? outgoing : incoming),
                    let message = Self.message(kind, body)
                else { continue }
                let (text, references) = (message.text, message.references)
                let sentAt = Self.date(entry.timestamp)
                if let since, sentAt <= since { continue }
                if messages.count == wanted {
                    // One more message exists before this page: it starts the page before.
                    if after == nil { earlier = cursor }
                    break reading
                }
                let status: DirectMessage.Status? =
                    out
                    ? (receipt.read >= entry.seq ? .read : receipt.delivered >= entry.seq ? .delivered : .sent) : nil
                var shown = DirectMessage(
                    id: entry.id.description, friend: friend.nodeID, direction: out ? .outgoing : .incoming,
                    from: out ? "me" : friend.name, text: text, sentAt: sentAt, seq: entry.seq, status: status,
                    attachments: references.isEmpty ? nil : references.map(\.view))
                if let quote = message.quote { shown.quote = await quoted(quote, in: friend) }
                if out, status == .sent {
                    let holders = await relayed.holders(of: entry.feedID, seq: entry.seq)
                    if !holders.isEmpty { shown.heldBy = await names(holders) }
                } else if let relay = await relayed.bringer(of: entry.feedID, seq: entry.seq) {
                    shown.via = await names([relay]).first
                }
                if recalls.isRecalled(shown.id) {
                    shown.text = ""
                    shown.attachments = nil
                    shown.quote = nil
                    shown.recalled = true
                }
                messages.append(shown)
                cursor = offset
            }
            if entries.count < chunk { break }
            cursor = entries.last?.offset
        }
        guard found || messages.count == wanted else {
            throw NodeError(
                code: .notFound, message: "no message \(after ?? "") in the conversation with \(friend.name)")
        }
        return Page(messages: messages.reversed(), earlier: earlier)
    }

    /// Friends' names as this node shows them (the remark is the client's to apply).
    private func names(_ nodeIDs: [NodeID]) async -> [String] {
        var out: [String] = []
        for nodeID in nodeIDs { out.append(await friends.friend(nodeID)?.name ?? nodeID.shortForm) }
        return out
    }

    /// Marks everything `friend` wrote so far as read (its node learns by receipt).
    package func markRead(_ friend: Friend) async throws(NodeError) {
        let nodeID = try Self.nodeID(friend)
        let incoming = try cipher(nodeID, outgoing: false)
        let head = await store.head(of: incoming.feed.id)
        await writeReceipt(nodeID, read: head)
    }

    /// What the inbox counts of one DM feed: entries up to `scanned` looked at, and the seqs
    /// among them that are not messages (receipts, entries that do not open), in order.
    private struct Counted: Codable {
        var scanned: UInt64 = 0
        var others: [UInt64] = []

        var messages: Int { Int(scanned) - others.count }

        /// The seqs that are not messages are distinct, in order and within what was scanned.
        var isConsistent: Bool {
            others.count <= scanned && zip(others, others.dropFirst()).allSatisfy { $0 < $1 }
                && others.allSatisfy { $0 >= 1 && $0 <= scanned }
        }

        /// Messages with seq above `seq`.
        func messages(after seq: UInt64) -> Int {
            guard seq < scanned else { return 0 }
            var low = 0
            var high = others.count
            while low < high {
                let middle = (low + high) / 2
                if others[middle] <= seq { low = middle + 1 } else { high = middle }
            }
            return Int(scanned - seq) - (others.count - low)
        }
    }

    private var counted: [FeedID: Counted] = [:]
    /// Where the counts are kept across restarts (nil: not kept); written after the first
    /// count and then at most every 10 s while they change. A count the store no longer
    /// backs (a head below it) is started again.
    private let countsPath: String?
    private var countsSaved: ContinuousClock.Instant?
    private var countsChanged = false

    private func saveCounts(force: Bool = false) {
        guard let countsPath, countsChanged else { return }
        let now = ContinuousClock.now
        if !force, let countsSaved, now - countsSaved < .seconds(10) { return }
        let saved = Dictionary(uniqueKeysWithValues: counted.map { ($0.key.description, $0.value) })
        guard let data = try? JSONEncoder().encode(saved) else { return }
        let temporary = countsPath + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else { return }
        if rename(temporary, countsPath) == 0 {
            countsSaved = now
            countsChanged = false
        }
    }

    /// The counts of `cipher`'s feed, brought up to its head: each entry is opened once in the
    /// node's life (the first inbox after start-up reads the history; the node does that in
    /// the background at start, ``countAll(_:)``), later ones as they come.
    private func counts(_ cipher: DirectCipher) async -> Counted {
        var known = counted[cipher.feed.id] ?? Counted()
        let head = await store.head(of: cipher.feed.id)
        if known.scanned > head { known = Counted() }
        while known.scanned < head {
            let upper = min(head, known.scanned + 1024)
            guard let entries = try? await store.entries(of: cipher.feed.id, seqs: (known.scanned + 1)...upper),
                !entries.isEmpty
            else { break }
            for entry in entries {
                let isMessage = open(entry, cipher: cipher).flatMap { Self.message($0.0, $0.1) } != nil
                if !isMessage { known.others.append(entry.seq) }
                known.scanned = entry.seq
            }
        }
        // Another call may have counted further meanwhile: keep the furthest.
        if let other = counted[cipher.feed.id], other.scanned > known.scanned { return other }
        if counted[cipher.feed.id]?.scanned != known.scanned { countsChanged = true }
        counted[cipher.feed.id] = known
        return known
    }

    /// Counts every conversation once, so that the first inbox is as quick as the rest.
    package func countAll(_ all: [Friend]) async {
        for friend in all {
            guard let outgoing = try? cipher(friend.nodeID, outgoing: true),
                let incoming = try? cipher(friend.nodeID, outgoing: false)
            else { continue }
            _ = await counts(outgoing)
            _ = await counts(incoming)
        }
        saveCounts(force: true)
    }

    /// One line per friend: unread count, the number of messages, and the last message.
    package func inbox(_ all: [Friend]) async throws(NodeError) -> [ConversationSummary] {
        var out: [ConversationSummary] = []
        for friend in all {
            let nodeID = try Self.nodeID(friend)
            let last = try await conversation(with: friend, limit: 1).messages.last
            let read = max(await receipt(nodeID, ours: true).read, readMarks[nodeID] ?? 0)
            let theirs = await counts(try cipher(nodeID, outgoing: false))
            let ours = await counts(try cipher(nodeID, outgoing: true))
            out.append(
                ConversationSummary(
                    friend: friend.nodeID, name: friend.name, unread: theirs.messages(after: read),
                    messages: theirs.messages + ours.messages, last: last))
        }
        saveCounts()
        return out.sorted { ($0.last?.sentAt ?? .distantPast) > ($1.last?.sentAt ?? .distantPast) }
    }

    private static func nodeID(_ friend: Friend) throws(NodeError) -> NodeID { friend.nodeID }

    private static func date(_ milliseconds: UInt64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
