import Foundation
import Logging
import WeMeetChannel
import WeMeetCrypto
import WeMeetStore

/// Feed sync with connected peers (Protocol.md §8): on each channel both sides offer the
/// feeds the other may have, each asks for what it lacks, entries stream in order under a
/// credit window, and then the channel stays live — entries appended later are pushed as
/// they come. Everything a peer sends is validated by the store on ingest.
actor Sync {
    /// Bytes of entries a node may send before the receiver acknowledges them durable.
    static let window = 1 << 20
    /// Bytes of entries per ``SyncMessage/entries(_:)`` message.
    static let batchBytes = SyncMessage.maximumEntryBytes
    /// Entries per message.
    static let batchEntries = SyncMessage.maximumEntries
    /// ENTRIES messages a node may have unacknowledged. Two keep the receiver busy while it
    /// commits one batch; meanwhile new entries gather into the next, so batches grow to
    /// what the receiver can take (one durable commit per batch) instead of many tiny ones.
    static let maximumInFlight = 2

    private struct Session {
        var id: Int
        var peer: PeerInfo
        /// Feeds the peer asked for, and the next seq to send it.
        var subscriptions: [FeedID: UInt64] = [:]
        /// Heads last offered to the peer.
        var offered: [FeedID: UInt64] = [:]
        /// Heads the peer offered us, for feeds we asked for.
        var theirHeads: [FeedID: UInt64] = [:]
        /// Feeds we asked the peer for (it pushes them from then on).
        var wanted: Set<FeedID> = []
        /// Entry bytes we may still send before an acknowledgement.
        var credit = Sync.window
        /// ENTRIES messages sent and not yet acknowledged.
        var inFlight = 0
        /// Control messages waiting for the pump (sent before entries).
        var outbox: [[UInt8]] = []
        var wake: AsyncStream<Void>.Continuation
        var sentEntries = 0
        var receivedEntries = 0
        var catchingUp = false
        var lastProgress = ContinuousClock.now
        /// Relayed feeds that grew, to offer together after ``Sync/relayOfferDelay``.
        var pendingOffers: [FeedID: Feed] = [:]
    }

    private let store: Store
    /// This node's key: its own feeds are offered at once, others' (relayed) in batches.
    private let own: Ed25519.PublicKey
    private let policy: any SyncPolicy
    private let manager: ConnectionManager
    private let events: EventHub
    private let logger: Logger
    private let ingested: @Sendable ([Entry], PeerInfo) async -> Void
    /// The feed ID a REJECT names for an entry that does not decode (§8.3): 32 zero bytes.
    private static let zeroFeed = try? FeedID(rawValue: [UInt8](repeating: 0, count: 32))
    private let quotas: Quotas
    /// Rejection log lines, at most one per peer and reason every 10 s.
    private var rejectLog = LogRateLimit()
    private var sessions: [NodeID: Session] = [:]
    /// Feeds peers offered, by ID (to ask another peer for one later).
    private var offeredFeeds: [FeedID: Feed] = [:]
    /// This node's head of each feed it asked a peer for, kept as entries arrive, so
    /// progress is counted without asking the store (``remaining(_:)``).
    private var wantedHeads: [FeedID: UInt64] = [:]
    /// Peers whose session ended while the channel stayed open (by handshake hash).
    private var ended: [NodeID: [UInt8]] = [:]
    private var nextID = 0
    private var stopped = false

    init(
        store: Store, own: Ed25519.PublicKey, policy: any SyncPolicy, quotas: Quotas, manager: ConnectionManager,
        events: EventHub, logger: Logger, ingested: @escaping @Sendable ([Entry], PeerInfo) async -> Void
    ) {
        self.store = store
        self.quotas = quotas
        self.own = own
        self.policy = policy
        self.manager = manager
        self.events = events
        self.logger = logger
        self.ingested = ingested
    }

    // MARK: Sessions

    /// A channel to `peer` is up: offer it every feed it may have.
    func connected(_ peer: PeerInfo, ifNew: Bool = false) async {
        if ifNew, sessions[peer.nodeID]?.peer.handshakeHash == peer.handshakeHash { return }
        guard !stopped, await policy.syncs(with: peer.nodeID), !stopped else { return }
        if let old = sessions[peer.nodeID] { old.wake.finish() }
        nextID += 1
        let (wake, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        sessions[peer.nodeID] = Session(id: nextID, peer: peer, wake: continuation)
        events.publish(NodeEvent(type: .syncStarted, peer: peer.nodeID.description, name: peer.displayName))
        let id = nextID
        Task { await self.pump(peer.nodeID, id: id, wake: wake) }
        await offerAll(to: peer.nodeID, id: id, evenIfEmpty: true)
    }

    /// Offers `nodeID` every feed it may have at a head not offered yet.
    private func offerAll(to nodeID: NodeID, id: Int, evenIfEmpty: Bool = false) async {
        var offers: [SyncMessage.Offer] = []
        for (feedID, feed, head, _) in await store.allFeeds() where head > 0 {
            guard head > sessions[nodeID]?.offered[feedID] ?? 0 else { continue }
            // A feed the peer asked for on this channel is pushed as it grows (§8.3 step 4),
            // never offered again.
            guard sessions[nodeID]?.subscriptions[feedID] == nil else { continue }
            if await policy.mayServe(feed, to: nodeID) { offers.append(.init(feed: feed, head: head)) }
        }
        guard sessions[nodeID]?.id == id else { return }
        queue(offers, to: nodeID)
        if offers.isEmpty && evenIfEmpty { queue(.offer([]), to: nodeID) }
    }

    /// What may be synced changed (a friend added or removed, a group's membership, a
    /// setting): sessions start or end, subscriptions no longer allowed end (the peer is
    /// told), feeds newly allowed are offered, and offers once refused are asked for.
    func policyChanged() async {
        guard !stopped else { return }
        for peer in await manager.peers() where sessions[peer.nodeID] == nil {
            await connected(peer, ifNew: true)
        }
        for (nodeID, session) in sessions {
            guard await policy.syncs(with: nodeID) else {
                if sessions[nodeID]?.id == session.id { await endSession(nodeID) }
                continue
            }
            for id in session.subscriptions.keys {
                guard let feed = await store.feed(id), !(await policy.mayServe(feed, to: nodeID)) else { continue }
                guard sessions[nodeID]?.id == session.id else { break }
                sessions[nodeID]?.subscriptions[id] = nil
                queue(
                    .reject(feed: id, seq: 0, reason: .notAuthorised, message: "no longer yours to receive"), to: nodeID
                )
            }
            guard sessions[nodeID]?.id == session.id else { continue }
            await offerAll(to: nodeID, id: session.id)
        }
        await rewant()
    }

    /// Asks for feeds that peers offered ahead of what this node holds and that no session
    /// is fetching (after a session ended, or once a policy allows them).
    private func rewant() async {
        for (nodeID, session) in sessions {
            var wants: [(feed: FeedID, have: UInt64)] = []
            for (id, head) in session.theirHeads where !session.wanted.contains(id) {
                let have = await store.head(of: id)
                guard head > have, !isWanted(id), let feed = offeredFeeds[id],
                    await policy.mayAccept(feed, from: nodeID), !(await store.isFrozen(id))
                else { continue }
                guard sessions[nodeID]?.id == session.id else { break }
                sessions[nodeID]?.wanted.insert(id)
                wantedHeads[id] = max(wantedHeads[id] ?? 0, have)
                wants.append((id, have))
            }
            if !wants.isEmpty {
                queue(.want(wants), to: nodeID)
                updateProgress(nodeID)
            }
        }
    }

    /// Whether some session is fetching `feed`.
    private func isWanted(_ feed: FeedID) -> Bool {
        sessions.values.contains { $0.wanted.contains(feed) }
    }

    /// `nodeID` became a friend: sync on the channel that is already open.
    func friendAdded(_ nodeID: NodeID) async {
        guard let peer = await manager.peer(nodeID) else { return }
        await connected(peer, ifNew: true)
    }

    /// The channel to `peer` ended: its session ends (the next channel starts a new one and
    /// resumes from the heads then).
    func disconnected(_ peer: PeerInfo) async {
        guard let session = sessions[peer.nodeID], session.peer.handshakeHash == peer.handshakeHash else { return }
        session.wake.finish()
        sessions[peer.nodeID] = nil
        // Feeds it was sending may come from another peer that offered them.
        if !session.wanted.isEmpty { await rewant() }
    }

    /// Stops every session (the node is stopping).
    func stop() {
        stopped = true
        for session in sessions.values { session.wake.finish() }
        sessions = [:]
    }

    /// Control messages a peer may leave unread before it is disconnected (it keeps sending
    /// but does not read our acknowledgements and refusals).
    static let maximumOutbox = 4096

    private func queue(_ message: SyncMessage, to nodeID: NodeID) {
        guard let session = sessions[nodeID] else { return }
        guard session.outbox.count < Self.maximumOutbox else {
            logger.info(
                "a peer does not read what sync sends it; closing the channel", metadata: ["peer": "\(nodeID)"])
            session.wake.finish()
            sessions[nodeID] = nil
            let manager = manager
            Task { await manager.close(nodeID, code: .protocolError, reason: "not reading sync messages") }
            return
        }
        sessions[nodeID]!.outbox.append(message.bytes)
        sessions[nodeID]!.wake.yield()
    }

    // MARK: New entries

    /// Entries were appended to `feeds` (by this node or from a peer): push them to peers
    /// that asked for those feeds, and offer them to peers that may have them but did not ask.
    /// Each feed comes with its new head, which the caller knows from the append.
    func advanced(_ grown: [(feed: Feed, head: UInt64)], except source: NodeID? = nil) async {
        for (feed, head) in grown {
            let id = feed.id
            for nodeID in sessions.keys where nodeID != source {
                guard let session = sessions[nodeID] else { continue }
                if session.subscriptions[id] != nil {
                    session.wake.yield()
                } else if head > session.offered[id] ?? 0, head > session.theirHeads[id] ?? 0 {
                    if feed.author == own {
                        guard await policy.mayServe(feed, to: nodeID), sessions[nodeID]?.id == session.id else {
                            continue
                        }
                        sessions[nodeID]?.offered[id] = head
                        queue(.offer([.init(feed: feed, head: head)]), to: nodeID)
                    } else {
                        // Relayed: most peers get it from its author; offer what they still
                        // lack in one OFFER a moment later.
                        if sessions[nodeID]?.pendingOffers.isEmpty == true {
                            let sessionID = session.id
                            // Weakly: a stopped node must not be kept (its store stays locked).
                            Task { [weak self] in
                                try? await Task.sleep(for: Self.relayOfferDelay)
                                await self?.offerPending(to: nodeID, id: sessionID)
                            }
                        }
                        sessions[nodeID]?.pendingOffers[id] = feed
                    }
                }
            }
        }
    }

    /// Notes `offers` as offered and queues them, split into OFFERs of at most 4,096 items.
    private func queue(_ offers: [SyncMessage.Offer], to nodeID: NodeID) {
        for offer in offers { sessions[nodeID]?.offered[offer.feed.id] = offer.head }
        for chunk in stride(from: 0, to: offers.count, by: SyncMessage.maximumItems) {
            queue(
                SyncMessage.offer(Array(offers[chunk..<min(chunk + SyncMessage.maximumItems, offers.count)])),
                to: nodeID)
        }
    }

    /// How long relayed feeds that grew wait before they are offered (together).
    static let relayOfferDelay: Duration = .milliseconds(200)

    /// Offers the relayed feeds that grew, except those the peer already said it holds.
    private func offerPending(to nodeID: NodeID, id: Int) async {
        guard let session = sessions[nodeID], session.id == id else { return }
        sessions[nodeID]?.pendingOffers = [:]
        var offers: [SyncMessage.Offer] = []
        for (feedID, feed) in session.pendingOffers.sorted(by: { $0.key < $1.key }) {
            let head = await store.head(of: feedID)
            guard let current = sessions[nodeID], current.id == id else { return }
            guard current.subscriptions[feedID] == nil, head > current.offered[feedID] ?? 0,
                head > current.theirHeads[feedID] ?? 0, await policy.mayServe(feed, to: nodeID)
            else { continue }
            offers.append(.init(feed: feed, head: head))
        }
        guard sessions[nodeID]?.id == id, !offers.isEmpty else { return }
        queue(offers, to: nodeID)
    }

    // MARK: Receiving

    func handle(_ bytes: [UInt8], from peer: PeerInfo) async -> MessageVerdict {
        let message: SyncMessage
        do { message = try SyncMessage(bytes: bytes) } catch {
            logger.info("peer broke the sync protocol", metadata: ["peer": "\(peer.nodeID)", "reason": "\(error)"])
            return .close(.protocolError, error.message)
        }
        guard sessions[peer.nodeID]?.peer.handshakeHash == peer.handshakeHash else {
            // Not a sync peer (a stranger, or a friend removed meanwhile): entries are refused.
            switch message {
            case .entries(let entries):
                logger.info(
                    "refusing entries from a node that is not a friend",
                    metadata: ["peer": "\(peer.nodeID)", "entries": "\(entries.count)"])
            case .want(let items) where ended[peer.nodeID] == peer.handshakeHash:
                // Asked just before its session ended: say no, so it asks someone else.
                await sendRejects(items.map(\.feed), to: peer)
            default:
                break
            }
            return .keep
        }
        switch message {
        case .offer(let offers):
            await received(offers, from: peer)
        case .want(let items):
            await received(want: items, from: peer)
        case .entries(let entries):
            await received(entries: entries, from: peer)
        case .ack(let bytes):
            let credit = min(Self.window, (sessions[peer.nodeID]?.credit ?? 0) + Int(bytes))
            sessions[peer.nodeID]?.credit = credit
            let inFlight = max(0, (sessions[peer.nodeID]?.inFlight ?? 0) - 1)
            sessions[peer.nodeID]?.inFlight = inFlight
            sessions[peer.nodeID]?.wake.yield()
        case .reject(let feed, let seq, let reason, let text):
            logger.info(
                "peer refused a sync item",
                metadata: [
                    "peer": "\(peer.nodeID)", "feed": "\(feed)", "seq": "\(seq)", "reason": "\(reason): \(text)",
                ])
            sessions[peer.nodeID]?.subscriptions[feed] = nil
            // A refused request is not repeated to this peer on this channel.
            sessions[peer.nodeID]?.wanted.remove(feed)
            sessions[peer.nodeID]?.theirHeads[feed] = nil
            await rewant()
        }
        return .keep
    }

    /// Ends the session with `nodeID` while its channel stays open (it is no longer a
    /// friend or fellow member): every feed flowing either way is refused, so the peer
    /// stops sending and asks others for what it was fetching here.
    private func endSession(_ nodeID: NodeID) async {
        guard let session = sessions.removeValue(forKey: nodeID) else { return }
        session.wake.finish()
        ended[nodeID] = session.peer.handshakeHash
        logger.info("sync with a peer ended: nothing left to share", metadata: ["peer": "\(nodeID)"])
        await sendRejects(Array(Set(session.subscriptions.keys).union(session.wanted)), to: session.peer)
    }

    private func sendRejects(_ feeds: [FeedID], to peer: PeerInfo) async {
        for feed in feeds {
            let reject = SyncMessage.reject(
                feed: feed, seq: 0, reason: .notAuthorised, message: "no longer shared with you")
            guard await manager.send(reject.bytes, to: peer.nodeID, session: peer.handshakeHash) else { return }
        }
    }

    private func received(_ offers: [SyncMessage.Offer], from peer: PeerInfo) async {
        var wants: [(feed: FeedID, have: UInt64)] = []
        for offer in offers {
            let id = offer.feed.id
            let have = await store.head(of: id)
            sessions[peer.nodeID]?.theirHeads[id] = offer.head
            offeredFeeds[id] = offer.feed
            guard offer.head > have, sessions[peer.nodeID]?.wanted.contains(id) == false else { continue }
            // One source per feed: its author when connected, else the first relay that
            // offers it (others are asked if that one goes away).
            guard offer.feed.author == peer.nodeID.publicKey || !isWanted(id) else { continue }
            guard await policy.mayAccept(offer.feed, from: peer.nodeID), !(await store.isFrozen(id)) else { continue }
            sessions[peer.nodeID]?.wanted.insert(id)
            wantedHeads[id] = max(wantedHeads[id] ?? 0, have)
            wants.append((id, have))
        }
        if !wants.isEmpty {
            queue(.want(wants), to: peer.nodeID)
            updateProgress(peer.nodeID)
        }
    }

    private func received(want items: [(feed: FeedID, have: UInt64)], from peer: PeerInfo) async {
        for (id, have) in items {
            guard let feed = await store.feed(id) else {
                queue(
                    .reject(feed: id, seq: have + 1, reason: .unknownFeed, message: "no such feed here"),
                    to: peer.nodeID)
                continue
            }
            guard await policy.mayServe(feed, to: peer.nodeID) else {
                logger.info(
                    "refusing a feed the peer may not have", metadata: ["peer": "\(peer.nodeID)", "feed": "\(id)"])
                queue(
                    .reject(feed: id, seq: have + 1, reason: .notAuthorised, message: "not yours to receive"),
                    to: peer.nodeID)
                continue
            }
            sessions[peer.nodeID]?.subscriptions[id] = have + 1
        }
        sessions[peer.nodeID]?.wake.yield()
    }

    private func received(entries: [[UInt8]], from peer: PeerInfo) async {
        let total = entries.reduce(0) { $0 + $1.count }
        var accepted: [[UInt8]] = []
        var decoded: [Entry] = []
        var candidates: [(entry: Entry, bytes: Int, storage: StorageClass)] = []
        var candidateBytes: [[UInt8]] = []
        var decision: [FeedID: Bool] = [:]
        for bytes in entries {
            // A quick look at the header decides the feed; the store validates everything.
            let entry: Entry
            do { entry = try Entry(decoding: bytes) } catch {
                // No feed can be trusted from it: REJECT names the zero feed ID, seq 0 (§8.3).
                reject(
                    feed: Self.zeroFeed, seq: 0, error.message,
                    code: SyncMessage.RejectReason(error.code), from: peer)
                continue
            }
            let allowed: Bool
            if let known = decision[entry.feedID] {
                allowed = known
            } else {
                allowed = await policy.mayAccept(entry.feed, from: peer.nodeID)
                decision[entry.feedID] = allowed
            }
            guard allowed else {
                reject(
                    feed: entry.feedID, seq: entry.seq, "not a feed this node takes from you", code: .notAuthorised,
                    from: peer)
                continue
            }
            candidates.append((entry, bytes.count, await policy.storageClass(of: entry)))
            candidateBytes.append(bytes)
        }
        // Storage quotas (§8.4): an entry past one is refused and never stored.
        let verdicts = await quotas.admit(candidates)
        var admitted: [(entry: Entry, bytes: Int, storage: StorageClass)] = []
        for (index, verdict) in verdicts.enumerated() {
            let entry = candidates[index].entry
            if let quota = verdict {
                await refuse(entry, quota: quota, from: peer)
                sessions[peer.nodeID]?.wanted.remove(entry.feedID)
                continue
            }
            admitted.append(candidates[index])
            accepted.append(candidateBytes[index])
            decoded.append(entry)
        }
        let results = await store.ingest(batch: accepted)
        var stored: [Entry] = []
        var notKept: [(entry: Entry, bytes: Int, storage: StorageClass)] = []
        for (index, (entry, result)) in zip(decoded, results).enumerated() {
            if case .success(.appended) = result {} else { notKept.append(admitted[index]) }
            switch result {
            case .success(.appended): stored.append(entry)
            case .success(.duplicate):
                // From its author, a replay (harmless, but it should not send it: noted and
                // reported); from a relay, two peers racing to pass on the same entry.
                guard entry.feed.author == peer.nodeID.publicKey else {
                    logger.debug(
                        "an entry already held came through a relay",
                        metadata: ["peer": "\(peer.nodeID)", "feed": "\(entry.feedID)", "seq": "\(entry.seq)"])
                    continue
                }
                logger.info(
                    "ignored an entry already held (a replay)",
                    metadata: [
                        "peer": "\(peer.nodeID)", "feed": "\(entry.feedID)", "seq": "\(entry.seq)",
                    ])
                events.publish(
                    NodeEvent(type: .syncRejected, peer: peer.nodeID.description, detail: "already held (a replay)"))
            case .failure(let error):
                reject(
                    feed: entry.feedID, seq: entry.seq, error.message, code: SyncMessage.RejectReason(error.code),
                    from: peer)
                sessions[peer.nodeID]?.wanted.remove(entry.feedID)
            }
        }
        if !notKept.isEmpty { await quotas.release(notKept) }
        queue(.ack(UInt32(total)), to: peer.nodeID)
        sessions[peer.nodeID]?.receivedEntries += stored.count
        var grown: [FeedID: (feed: Feed, head: UInt64)] = [:]
        for entry in stored where entry.seq > grown[entry.feedID]?.head ?? 0 {
            grown[entry.feedID] = (entry.feed, entry.seq)
        }
        for (id, feed) in grown where (wantedHeads[id] ?? .max) < feed.head { wantedHeads[id] = feed.head }
        if !stored.isEmpty {
            await ingested(stored, peer)
            await advanced(Array(grown.values), except: peer.nodeID)
        }
        updateProgress(peer.nodeID)
    }

    private func reject(
        feed: FeedID?, seq: UInt64, _ reason: String, code: SyncMessage.RejectReason, from peer: PeerInfo
    ) {
        let (write, held) = rejectLog.admit("\(peer.nodeID) \(code)")
        if write {
            logger.info(
                "rejected an entry from a peer",
                metadata: [
                    "peer": "\(peer.nodeID)", "feed": "\(feed.map { "\($0)" } ?? "?")", "seq": "\(seq)",
                    "reason": "\(reason)", "heldBack": "\(held)",
                ])
        }
        events.publish(NodeEvent(type: .syncRejected, peer: peer.nodeID.description, detail: reason))
        if let feed { queue(.reject(feed: feed, seq: seq, reason: code, message: reason), to: peer.nodeID) }
    }

    /// Refuses an entry past a storage quota (§8.4): REJECT reason 4, and the user is told
    /// the first time an author reaches a quota in this run.
    private func refuse(_ entry: Entry, quota: QuotaLimits.Name, from peer: PeerInfo) async {
        let author = NodeID(publicKey: entry.feed.author)
        let limit = await quotas.limits[quota]
        let message = "quota \(quota.rawValue) reached (\(limit)): this node stores no more of it from this author"
        reject(feed: entry.feedID, seq: entry.seq, message, code: .quota, from: peer)
        if await quotas.refused(author, quota: quota) {
            logger.info(
                "an author reached a storage quota; refusing more of its entries",
                metadata: ["author": "\(author)", "quota": "\(quota.rawValue)", "limit": "\(limit)"])
            events.publish(NodeEvent(type: .syncQuota, peer: author.description, detail: quota.rawValue))
        }
    }

    // MARK: Progress

    /// Entries still to come from `nodeID` for the feeds asked for: a sum over its wanted
    /// feeds of in-memory heads (no store calls), so it is cheap after every batch.
    private func remaining(_ nodeID: NodeID) -> UInt64 {
        guard let session = sessions[nodeID] else { return 0 }
        var total: UInt64 = 0
        for id in session.wanted {
            let head = session.theirHeads[id] ?? 0
            let have = wantedHeads[id] ?? 0
            if head > have { total += head - have }
        }
        return total
    }

    /// Publishes `sync.progress` at most twice a second while catching up, and
    /// `sync.caught-up` when done.
    private func updateProgress(_ nodeID: NodeID) {
        let left = remaining(nodeID)
        guard let session = sessions[nodeID] else { return }
        if left == 0 {
            if session.catchingUp {
                sessions[nodeID]?.catchingUp = false
                events.publish(
                    NodeEvent(
                        type: .syncCaughtUp, peer: nodeID.description, detail: "\(session.receivedEntries)",
                        name: session.peer.displayName))
            }
        } else if !session.catchingUp || ContinuousClock.now - session.lastProgress > .milliseconds(500) {
            sessions[nodeID]?.catchingUp = true
            sessions[nodeID]?.lastProgress = .now
            events.publish(
                NodeEvent(
                    type: .syncProgress, peer: nodeID.description,
                    detail: "\(session.receivedEntries)/\(UInt64(session.receivedEntries) + left)",
                    name: session.peer.displayName))
        }
    }

    /// Per-peer sync state for `wemeet status`.
    func status() async -> [NodeStatus.SyncPeer] {
        var out: [NodeStatus.SyncPeer] = []
        for (nodeID, session) in sessions.sorted(by: { $0.key < $1.key }) {
            out.append(
                NodeStatus.SyncPeer(
                    nodeID: nodeID.description, name: session.peer.displayName,
                    feedsSent: session.subscriptions.count, feedsReceived: session.wanted.count,
                    entriesSent: session.sentEntries, entriesReceived: session.receivedEntries,
                    remaining: Int(remaining(nodeID))))
        }
        return out
    }

    // MARK: Sending

    /// The one writer of sync messages to a peer: control messages first, then entries of
    /// the feeds it asked for, a batch at a time, within the credit window.
    private func pump(_ nodeID: NodeID, id: Int, wake: AsyncStream<Void>) async {
        for await _ in wake {
            while true {
                guard let session = sessions[nodeID], session.id == id else { return }
                if let message = session.outbox.first {
                    sessions[nodeID]!.outbox.removeFirst()
                    guard await manager.send(message, to: nodeID, session: session.peer.handshakeHash) else { return }
                    continue
                }
                guard session.credit >= Entry.maximumLength, session.inFlight < Self.maximumInFlight else { break }
                var progressed = false
                for (feed, next) in session.subscriptions.sorted(by: { $0.key < $1.key }) {
                    let head = await store.head(of: feed)
                    guard next <= head else { continue }
                    let upper = min(head, next + UInt64(Self.batchEntries) - 1)
                    let entries: [Entry]
                    do { entries = try await store.entries(of: feed, seqs: next...upper) } catch {
                        logger.warning(
                            "cannot read a feed to send it", metadata: ["feed": "\(feed)", "reason": "\(error)"])
                        sessions[nodeID]?.subscriptions[feed] = nil
                        continue
                    }
                    progressed = true
                    // The state may have changed while reading: if so, look again.
                    guard let current = sessions[nodeID], current.id == id, current.subscriptions[feed] == next else {
                        break
                    }
                    var batch: [[UInt8]] = []
                    var bytes = 0
                    let budget = min(Self.batchBytes, current.credit)
                    for entry in entries {
                        if !batch.isEmpty && bytes + entry.encoded.count > budget { break }
                        batch.append(entry.encoded)
                        bytes += entry.encoded.count
                    }
                    guard !batch.isEmpty else { break }
                    sessions[nodeID]!.subscriptions[feed] = next + UInt64(batch.count)
                    sessions[nodeID]!.credit -= bytes
                    sessions[nodeID]!.inFlight += 1
                    sessions[nodeID]!.sentEntries += batch.count
                    guard
                        await manager.send(
                            SyncMessage.entries(batch).bytes, to: nodeID, session: current.peer.handshakeHash)
                    else { return }
                    break
                }
                if !progressed { break }
            }
        }
    }
}
