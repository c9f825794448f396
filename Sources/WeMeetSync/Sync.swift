import Foundation
import Logging
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Feed sync with connected peers (Protocol.md §8): on each channel both sides offer the
/// feeds the other may have, each asks for what it lacks, entries stream in order under a
/// credit window, and then the channel stays live — entries appended later are pushed as
/// they come. Everything a peer sends is validated by the store on ingest.
package actor Sync {
    /// Bytes of entries a node may send before the receiver acknowledges them durable.
    package static let window = 1 << 20
    /// Bytes of entries per ``SyncMessage/entries(_:)`` message.
    package static let batchBytes = SyncMessage.maximumEntryBytes
    /// Entries per message.
    package static let batchEntries = SyncMessage.maximumEntries
    /// ENTRIES messages a node may have unacknowledged. Two keep the receiver busy while it
    /// commits one batch; meanwhile new entries gather into the next, so batches grow to
    /// what the receiver can take (one durable commit per batch) instead of many tiny ones.
    package static let maximumInFlight = 2

    /// A session with one peer: its machine (offer/want, credit, outbox) and what the actor
    /// keeps beside it (the writer's wake-up, progress reporting).
    private struct Session {
        var id: Int
        var peer: PeerInfo
        var machine: SyncSession
        var wake: AsyncStream<Void>.Continuation
        var catchingUp = false
        var lastProgress = ContinuousClock.now
        /// For each ENTRIES sent and not yet acknowledged (in order): this node's mail in it
        /// deposited with the peer as a relay, by feed and last seq.
        var deposits: [[Feed: UInt64]] = []
    }

    private let store: Store
    /// Mail held for friends (§8.5), apart from the store; nil when the node holds none.
    private let relay: RelayHold?
    /// Who holds our mail and who brought mail to us, for the messages' status.
    private let relayed: RelayedMail?
    /// This node's key: its own feeds are offered at once, others' (relayed) in batches.
    private let own: Ed25519.PublicKey
    private let policy: any SyncPolicy
    private let transport: any SyncTransport
    private let events: EventHub
    private let logger: Logger
    /// The features that read what arrives, in order (``IngestConsumer``).
    private let consumers: [any IngestConsumer]
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
    /// The handshake hash of each peer's channel that ended last (whether or not it had a
    /// session), so a session is not started for it afterwards.
    private var lastEnded: [NodeID: [UInt8]] = [:]
    private var nextID = 0
    private var stopped = false

    package init(
        store: Store, relay: RelayHold? = nil, relayed: RelayedMail? = nil, own: Ed25519.PublicKey,
        policy: any SyncPolicy, quotas: Quotas,
        transport: any SyncTransport, events: EventHub, logger: Logger, consumers: [any IngestConsumer]
    ) {
        self.store = store
        self.relay = relay
        self.relayed = relayed
        self.quotas = quotas
        self.own = own
        self.policy = policy
        self.transport = transport
        self.events = events
        self.logger = logger
        self.consumers = consumers
    }

    // MARK: Sessions

    /// A channel to `peer` is up: offer it every feed it may have.
    package func connected(_ peer: PeerInfo, ifNew: Bool = false) async {
        if ifNew, sessions[peer.nodeID]?.peer.handshakeHash == peer.handshakeHash { return }
        guard !stopped, await policy.syncs(with: peer.nodeID), !stopped else { return }
        // Only the channel the connection manager keeps now: when two channels to one peer
        // race (each side dialled), the one replaced may report in after its replacement, and
        // a session bound to it would drop everything the kept channel carries (handle checks
        // the handshake). No suspension follows before the session is set.
        guard await transport.peer(peer.nodeID)?.handshakeHash == peer.handshakeHash, !stopped else {
            logger.debug("a replaced channel's sync start is ignored", metadata: ["peer": "\(peer.nodeID)"])
            return
        }
        if ifNew, sessions[peer.nodeID]?.peer.handshakeHash == peer.handshakeHash { return }
        // The channel may have ended while this waited above (``disconnected(_:)`` found no
        // session then): a session bound to it would keep its feeds wanted from nobody.
        guard lastEnded[peer.nodeID] != peer.handshakeHash else { return }
        if let old = sessions[peer.nodeID] { old.wake.finish() }
        nextID += 1
        let (wake, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        sessions[peer.nodeID] = Session(
            id: nextID, peer: peer,
            machine: SyncSession(
                window: Self.window, maximumInFlight: Self.maximumInFlight, maximumOutbox: Self.maximumOutbox,
                batchEntries: Self.batchEntries, batchBytes: Self.batchBytes),
            wake: continuation)
        events.publish(NodeEvent(type: .syncStarted, peer: peer.nodeID, name: peer.displayName))
        let id = nextID
        Task { await self.pump(peer.nodeID, id: id, wake: wake) }
        await offerAll(to: peer.nodeID, id: id, evenIfEmpty: true)
    }

    /// Runs `body` on the machine of session `id` with `nodeID` (any session when nil) and
    /// performs the actions it returns; nothing when that session is gone.
    @discardableResult
    private func step<R>(
        _ nodeID: NodeID, id: Int? = nil, _ body: (inout SyncSession) -> (R, [SyncSession.Action])
    ) -> R? {
        guard var session = sessions[nodeID], id == nil || session.id == id else { return nil }
        sessions[nodeID] = nil  // the machine is not copied while it changes
        let (result, actions) = body(&session.machine)
        sessions[nodeID] = session
        perform(actions, for: nodeID, session: session.id)
        return result
    }

    /// Runs `body` on a session's machine for its actions.
    private func step(_ nodeID: NodeID, id: Int? = nil, _ body: (inout SyncSession) -> [SyncSession.Action]) {
        step(nodeID, id: id) { ((), body(&$0)) }
    }

    private func perform(_ actions: [SyncSession.Action], for nodeID: NodeID, session id: Int) {
        for action in actions {
            guard let session = sessions[nodeID], session.id == id else { return }
            switch action {
            case .wake:
                session.wake.yield()
            case .startRelayTimer:
                // Weakly: a stopped node must not be kept (its store stays locked).
                Task { [weak self] in
                    try? await Task.sleep(for: Self.relayOfferDelay)
                    await self?.offerPending(to: nodeID, id: id)
                }
            case .close(let reason):
                logger.info(
                    "a peer does not read what sync sends it; closing the channel", metadata: ["peer": "\(nodeID)"])
                session.wake.finish()
                sessions[nodeID] = nil
                let transport = transport
                Task { await transport.close(nodeID, code: .protocolError, reason: reason) }
            }
        }
    }

    // MARK: Store and relay hold

    /// The head of `id` here: in the store, else in the relay hold (where it may be the seq
    /// the reader acknowledged, from which a depositor goes on).
    private func head(of id: FeedID) async -> UInt64 {
        let head = await store.head(of: id)
        guard head == 0, let relay else { return head }
        return await relay.head(of: id)
    }

    /// The feed `id`, held in the store or the relay hold.
    private func feed(_ id: FeedID) async -> Feed? {
        if let feed = await store.feed(id) { return feed }
        return await relay?.feed(id)
    }

    /// Entries of `id` from wherever it is held.
    private func entries(of id: FeedID, seqs: ClosedRange<UInt64>) async throws -> [Entry] {
        if let relay, await store.feed(id) == nil, await relay.holds(id) {
            return try await relay.entries(of: id, seqs: seqs)
        }
        return try await store.entries(of: id, seqs: seqs)
    }

    /// Every feed held, with its head: the store's and the relay hold's.
    private func allFeeds() async -> [(id: FeedID, feed: Feed, head: UInt64)] {
        var all = await store.allFeeds().map { ($0.id, $0.feed, $0.head) }
        for (feed, head) in await relay?.allFeeds() ?? [] { all.append((feed.id, feed, head)) }
        return all
    }

    /// Offers `nodeID` every feed it may have at a head not offered yet.
    private func offerAll(to nodeID: NodeID, id: Int, evenIfEmpty: Bool = false) async {
        var offers: [SyncMessage.Offer] = []
        for (feedID, feed, head) in await allFeeds() where head > 0 {
            guard let machine = sessions[nodeID]?.machine.open, head > machine.offered[feedID] ?? 0,
                machine.subscriptions[feedID] == nil
            else { continue }
            if await policy.mayServe(feed, to: nodeID) { offers.append(.init(feed: feed, head: head)) }
        }
        step(nodeID, id: id) { $0.offer(offers, evenIfEmpty: evenIfEmpty) }
    }

    /// What may be synced changed (a friend added or removed, a group's membership, a
    /// setting): sessions start or end, subscriptions no longer allowed end (the peer is
    /// told), feeds newly allowed are offered, and offers once refused are asked for.
    package func policyChanged() async {
        guard !stopped else { return }
        for peer in await transport.peers() where sessions[peer.nodeID] == nil {
            await connected(peer, ifNew: true)
        }
        for (nodeID, session) in sessions {
            guard await policy.syncs(with: nodeID) else {
                if sessions[nodeID]?.id == session.id { await endSession(nodeID) }
                continue
            }
            var revoked: [FeedID] = []
            for id in session.machine.subscribedFeeds {
                guard let feed = await feed(id), !(await policy.mayServe(feed, to: nodeID)) else { continue }
                revoked.append(id)
            }
            step(nodeID, id: session.id) { $0.unsubscribe(revoked) }
            guard sessions[nodeID]?.id == session.id else { continue }
            await offerAll(to: nodeID, id: session.id)
        }
        await rewant()
    }

    /// Asks for feeds that peers offered ahead of what this node holds and that no session
    /// is fetching (after a session ended, or once a policy allows them).
    private func rewant() async {
        for (nodeID, session) in sessions {
            guard let machine = session.machine.open else { continue }
            var wants: [(feed: FeedID, have: UInt64)] = []
            for (id, head) in machine.theirHeads where !machine.wanted.contains(id) {
                let have = await self.head(of: id)
                guard head > have, !isWanted(id), !wants.contains(where: { $0.feed == id }),
                    let feed = offeredFeeds[id], await policy.mayAccept(feed, from: nodeID),
                    !(await store.isFrozen(id))
                else { continue }
                guard sessions[nodeID]?.id == session.id else { break }
                wantedHeads[id] = max(wantedHeads[id] ?? 0, have)
                wants.append((id, have))
            }
            if !wants.isEmpty {
                step(nodeID, id: session.id) { $0.want(wants) }
                updateProgress(nodeID)
            }
        }
    }

    /// Whether some session is fetching `feed`.
    private func isWanted(_ feed: FeedID) -> Bool {
        sessions.values.contains { $0.machine.open?.wanted.contains(feed) == true }
    }

    /// `nodeID` became a friend: sync on the channel that is already open.
    package func friendAdded(_ nodeID: NodeID) async {
        guard let peer = await transport.peer(nodeID) else { return }
        await connected(peer, ifNew: true)
    }

    /// The channel to `peer` ended: its session ends (the next channel starts a new one and
    /// resumes from the heads then).
    package func disconnected(_ peer: PeerInfo) async {
        lastEnded[peer.nodeID] = peer.handshakeHash
        guard let session = sessions[peer.nodeID], session.peer.handshakeHash == peer.handshakeHash else { return }
        session.wake.finish()
        sessions[peer.nodeID] = nil
        // Feeds it was sending may come from another peer that offered them.
        if session.machine.open?.wanted.isEmpty == false { await rewant() }
    }

    /// Stops every session (the node is stopping).
    package func stop() {
        stopped = true
        for session in sessions.values { session.wake.finish() }
        sessions = [:]
    }

    /// Control messages a peer may leave unread before it is disconnected (it keeps sending
    /// but does not read our acknowledgements and refusals).
    package static let maximumOutbox = 4096

    // MARK: New entries

    /// Entries were appended to `feeds` (by this node or from a peer): push them to peers
    /// that asked for those feeds, and offer them to peers that may have them but did not ask.
    /// Each feed comes with its new head, which the caller knows from the append.
    package func advanced(_ grown: [(feed: Feed, head: UInt64)], except source: NodeID? = nil) async {
        for (feed, head) in grown {
            for nodeID in sessions.keys where nodeID != source {
                guard let session = sessions[nodeID] else { continue }
                let growth = step(nodeID, id: session.id) { $0.advanced(feed, head: head, ownFeed: feed.author == own) }
                guard growth == .offerNow else { continue }
                guard await policy.mayServe(feed, to: nodeID) else { continue }
                step(nodeID, id: session.id) { $0.offer([.init(feed: feed, head: head)]) }
            }
        }
    }

    /// How long relayed feeds that grew wait before they are offered (together).
    package static let relayOfferDelay: Duration = .milliseconds(200)

    /// Offers the relayed feeds that grew, except those the peer already said it holds.
    private func offerPending(to nodeID: NodeID, id: Int) async {
        guard let due = step(nodeID, id: id, { ($0.relayOffersDue(), []) }) else { return }
        var offers: [SyncMessage.Offer] = []
        for feed in due {
            let head = await head(of: feed.id)
            guard let current = sessions[nodeID], current.id == id else { return }
            guard current.machine.isNews(feed.id, head: head), await policy.mayServe(feed, to: nodeID) else { continue }
            offers.append(.init(feed: feed, head: head))
        }
        step(nodeID, id: id) { $0.offer(offers) }
    }

    // MARK: Receiving

    package func handle(_ bytes: [UInt8], from peer: PeerInfo) async -> MessageVerdict {
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
            if let relayed, let deposited = sessions[peer.nodeID]?.deposits.first {
                sessions[peer.nodeID]?.deposits.removeFirst()
                for (feed, seq) in deposited {
                    await relayed.held(feed.id, by: peer.nodeID, upTo: seq)
                    guard let reader = try? Ed25519.PublicKey(rawRepresentation: feed.audience) else { continue }
                    events.publish(
                        NodeEvent(
                            type: .dmHeld, peer: NodeID(publicKey: reader), detail: "\(seq)",
                            name: peer.displayName))
                }
            }
            step(peer.nodeID) { $0.received(ack: bytes) }
        case .reject(let feed, let seq, let reason, let text):
            logger.info(
                "peer refused a sync item",
                metadata: [
                    "peer": "\(peer.nodeID)", "feed": "\(feed)", "seq": "\(seq)", "reason": "\(reason): \(text)",
                ])
            // A refused request is not repeated to this peer on this channel.
            step(peer.nodeID) { machine in
                machine.received(rejectOf: feed)
                return []
            }
            await rewant()
        }
        return .keep
    }

    /// Ends the session with `nodeID` while its channel stays open (it is no longer a
    /// friend or fellow member): every feed flowing either way is refused, so the peer
    /// stops sending and asks others for what it was fetching here.
    private func endSession(_ nodeID: NodeID) async {
        guard var session = sessions.removeValue(forKey: nodeID) else { return }
        session.wake.finish()
        ended[nodeID] = session.peer.handshakeHash
        logger.info("sync with a peer ended: nothing left to share", metadata: ["peer": "\(nodeID)"])
        await sendRejects(session.machine.end(), to: session.peer)
    }

    private func sendRejects(_ feeds: [FeedID], to peer: PeerInfo) async {
        for feed in feeds {
            let reject = SyncMessage.reject(
                feed: feed, seq: 0, reason: .notAuthorised, message: "no longer shared with you")
            guard await transport.send(reject.bytes, to: peer.nodeID, session: peer.handshakeHash) else { return }
        }
    }

    private func received(_ offers: [SyncMessage.Offer], from peer: PeerInfo) async {
        var known: [(offer: SyncMessage.Offer, have: UInt64)] = []
        for offer in offers {
            known.append((offer, await head(of: offer.feed.id)))
            offeredFeeds[offer.feed.id] = offer.feed
            // The reader of mail held here offering its head acknowledges it (§8.5).
            if let relay, offer.feed.kind == .direct, offer.feed.audience == peer.nodeID.publicKey.rawRepresentation,
                await relay.acknowledged(offer.feed.id, head: offer.head)
            {
                events.publish(NodeEvent(type: .syncRelay, peer: peer.nodeID, detail: "delivered"))
            }
        }
        guard let candidates = step(peer.nodeID, { ($0.noteOffers(known), []) }) else { return }
        let haves = Dictionary(known.map { ($0.offer.feed.id, $0.have) }) { first, _ in first }
        var wants: [(feed: FeedID, have: UInt64)] = []
        for offer in candidates {
            let id = offer.feed.id
            // One source per feed: its author when connected, else the first relay that
            // offers it (others are asked if that one goes away).
            guard offer.feed.author == peer.nodeID.publicKey || !isWanted(id),
                !wants.contains(where: { $0.feed == id })
            else { continue }
            guard await policy.mayAccept(offer.feed, from: peer.nodeID), !(await store.isFrozen(id)) else { continue }
            let have = haves[id] ?? 0
            wantedHeads[id] = max(wantedHeads[id] ?? 0, have)
            wants.append((id, have))
        }
        if !wants.isEmpty {
            step(peer.nodeID) { $0.want(wants) }
            updateProgress(peer.nodeID)
        }
    }

    private func received(want items: [(feed: FeedID, have: UInt64)], from peer: PeerInfo) async {
        var verdicts: [(feed: FeedID, have: UInt64, verdict: SyncSession.WantVerdict)] = []
        for (id, asked) in items {
            guard let feed = await feed(id) else {
                verdicts.append((id, asked, .unknown))
                continue
            }
            // A relay asking for this node's mail gets what the reader has not acknowledged.
            let have = await policy.serveFrom(feed, to: peer.nodeID, have: asked)
            guard await policy.mayServe(feed, to: peer.nodeID) else {
                logger.info(
                    "refusing a feed the peer may not have", metadata: ["peer": "\(peer.nodeID)", "feed": "\(id)"])
                verdicts.append((id, have, .refused))
                continue
            }
            verdicts.append((id, have, .serve))
        }
        step(peer.nodeID) { $0.received(want: verdicts) }
    }

    private func received(entries: [[UInt8]], from peer: PeerInfo) async {
        let total = entries.reduce(0) { $0 + $1.count }
        var accepted: [[UInt8]] = []
        var decoded: [Entry] = []
        var candidates: [(entry: Entry, bytes: Int, storage: StorageClass)] = []
        var candidateBytes: [[UInt8]] = []
        var deposited: [Entry] = []
        var decision: [FeedID: Bool] = [:]
        /// Feeds whose entries failed: not asked of this peer again on this channel.
        var failed: Set<FeedID> = []
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
            let storage = await policy.storageClass(of: entry)
            guard storage != .relayed else {
                deposited.append(entry)
                continue
            }
            candidates.append((entry, bytes.count, storage))
            candidateBytes.append(bytes)
        }
        // Mail deposited for a friend (§8.5) goes to the relay hold, under its own limits.
        var stored: [Entry] = []
        if !deposited.isEmpty {
            let outcomes = await relay?.deposit(deposited) ?? deposited.map { _ in .failure(.quota("relay off")) }
            for (entry, outcome) in zip(deposited, outcomes) {
                switch outcome {
                case .success(.appended): stored.append(entry)
                case .success(.duplicate): break
                case .failure(.quota(let name)):
                    reject(
                        feed: entry.feedID, seq: entry.seq,
                        "relay quota \(name) reached: this node holds no more mail of this author",
                        code: .quota, from: peer)
                    failed.insert(entry.feedID)
                case .failure(.invalid(let error)):
                    reject(
                        feed: entry.feedID, seq: entry.seq, error.message, code: SyncMessage.RejectReason(error.code),
                        from: peer)
                    failed.insert(entry.feedID)
                }
            }
        }
        let relayedStored = stored.count
        if relayedStored > 0 { events.publish(NodeEvent(type: .syncRelay, peer: peer.nodeID, detail: "held")) }
        // Storage quotas (§8.4): an entry past one is refused and never stored.
        let verdicts = await quotas.admit(candidates)
        var admitted: [(entry: Entry, bytes: Int, storage: StorageClass)] = []
        for (index, verdict) in verdicts.enumerated() {
            let entry = candidates[index].entry
            if let quota = verdict {
                await refuse(entry, quota: quota, from: peer)
                failed.insert(entry.feedID)
                continue
            }
            admitted.append(candidates[index])
            accepted.append(candidateBytes[index])
            decoded.append(entry)
        }
        let results = await store.ingest(batch: accepted)
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
                    NodeEvent(type: .syncRejected, peer: peer.nodeID, detail: "already held (a replay)"))
            case .failure(let error):
                reject(
                    feed: entry.feedID, seq: entry.seq, error.message, code: SyncMessage.RejectReason(error.code),
                    from: peer)
                failed.insert(entry.feedID)
            }
        }
        if !notKept.isEmpty { await quotas.release(notKept) }
        step(peer.nodeID) { $0.ingested(bytes: total, stored: stored.count, refused: [], stopWanting: failed) }
        var grown: [FeedID: (feed: Feed, head: UInt64)] = [:]
        for entry in stored where entry.seq > grown[entry.feedID]?.head ?? 0 {
            grown[entry.feedID] = (entry.feed, entry.seq)
        }
        for (id, feed) in grown where (wantedHeads[id] ?? .max) < feed.head { wantedHeads[id] = feed.head }
        // Mail for this node that a relay gave it: "via" the relay.
        if let relayed {
            var runs: [FeedID: ClosedRange<UInt64>] = [:]
            for entry in stored
            where entry.feed.kind == .direct && entry.feed.audience == own.rawRepresentation
                && entry.feed.author != peer.nodeID.publicKey
            {
                let run = runs[entry.feedID]
                runs[entry.feedID] =
                    min(run?.lowerBound ?? entry.seq, entry.seq)...max(run?.upperBound ?? entry.seq, entry.seq)
            }
            for (feed, seqs) in runs { await relayed.brought(feed, seqs: seqs, by: peer.nodeID) }
        }
        if !stored.isEmpty {
            // The features read only what is this node's own to read, not mail it holds.
            let own = Array(stored[relayedStored...])
            if !own.isEmpty { for consumer in consumers { await consumer.ingested(own, from: peer) } }
            await advanced(Array(grown.values), except: peer.nodeID)
            await acknowledge(grown.values.map { $0 }, to: peer)
        }
        updateProgress(peer.nodeID)
    }

    /// Mail for this node that came through a relay: the relay is told the new heads (a
    /// one-item OFFER each, as §8.5 acknowledges), so it can drop what it held.
    private func acknowledge(_ grown: [(feed: Feed, head: UInt64)], to peer: PeerInfo) async {
        var offers: [SyncMessage.Offer] = []
        for (feed, head) in grown
        where feed.kind == .direct && feed.audience == own.rawRepresentation && feed.author != peer.nodeID.publicKey {
            if await policy.mayServe(feed, to: peer.nodeID) { offers.append(.init(feed: feed, head: head)) }
        }
        if !offers.isEmpty { step(peer.nodeID) { $0.offer(offers) } }
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
        events.publish(NodeEvent(type: .syncRejected, peer: peer.nodeID, detail: reason))
        if let feed { step(peer.nodeID) { $0.queue(.reject(feed: feed, seq: seq, reason: code, message: reason)) } }
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
            events.publish(NodeEvent(type: .syncQuota, peer: author, detail: quota.rawValue))
        }
    }

    // MARK: Progress

    /// Entries still to come from `nodeID` for the feeds asked for: a sum over its wanted
    /// feeds of in-memory heads (no store calls), so it is cheap after every batch.
    private func remaining(_ nodeID: NodeID) -> UInt64 {
        guard let machine = sessions[nodeID]?.machine.open else { return 0 }
        var total: UInt64 = 0
        for id in machine.wanted {
            let head = machine.theirHeads[id] ?? 0
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
        let received = session.machine.open?.receivedEntries ?? 0
        if left == 0 {
            if session.catchingUp {
                sessions[nodeID]?.catchingUp = false
                events.publish(
                    NodeEvent(
                        type: .syncCaughtUp, peer: nodeID, detail: "\(received)",
                        name: session.peer.displayName))
            }
        } else if !session.catchingUp || ContinuousClock.now - session.lastProgress > .milliseconds(500) {
            sessions[nodeID]?.catchingUp = true
            sessions[nodeID]?.lastProgress = .now
            events.publish(
                NodeEvent(
                    type: .syncProgress, peer: nodeID,
                    detail: "\(received)/\(UInt64(received) + left)", name: session.peer.displayName))
        }
    }

    /// Per-peer sync state for `wemeet status`.
    package func status() async -> [NodeStatus.SyncPeer] {
        var out: [NodeStatus.SyncPeer] = []
        for (nodeID, session) in sessions.sorted(by: { $0.key < $1.key }) {
            guard let machine = session.machine.open else { continue }
            out.append(
                NodeStatus.SyncPeer(
                    nodeID: nodeID, name: session.peer.displayName,
                    feedsSent: machine.subscriptions.count, feedsReceived: machine.wanted.count,
                    entriesSent: machine.sentEntries, entriesReceived: machine.receivedEntries,
                    remaining: Int(remaining(nodeID))))
        }
        return out
    }

    // MARK: Sending

    /// The one writer of sync messages to a peer: it sends what the session's machine says
    /// next (control messages first, then entries of the feeds the peer asked for, a batch at
    /// a time, within the credit window), reading the store when the machine asks.
    private func pump(_ nodeID: NodeID, id: Int, wake: AsyncStream<Void>) async {
        for await _ in wake {
            while true {
                guard let session = sessions[nodeID], session.id == id else { return }
                var heads: [FeedID: UInt64] = [:]
                for feed in session.machine.subscribedFeeds { heads[feed] = await head(of: feed) }
                guard let output = step(nodeID, id: id, { ($0.nextOutput(heads: heads), []) }) else { return }
                switch output {
                case .idle:
                    break
                case .message(let message):
                    guard await transport.send(message.bytes, to: nodeID, session: session.peer.handshakeHash) else {
                        return
                    }
                    continue
                case .read(let feed, let seqs):
                    let entries: [Entry]
                    do { entries = try await self.entries(of: feed, seqs: seqs) } catch {
                        logger.warning(
                            "cannot read a feed to send it", metadata: ["feed": "\(feed)", "reason": "\(error)"])
                        step(nodeID, id: id) { machine in
                            machine.readFailed(feed)
                            return []
                        }
                        continue
                    }
                    // The session may have changed while reading: if so, the machine says
                    // so, and the writer looks again.
                    guard
                        let batch = step(
                            nodeID, id: id, { ($0.entriesRead(entries, of: feed, from: seqs.lowerBound), []) })
                    else { return }
                    guard let batch else { continue }
                    // Our own mail deposited with a relay is "held" once it acknowledges the batch.
                    var deposited: [Feed: UInt64] = [:]
                    if relayed != nil, case .entries(let sent) = batch {
                        for entry in entries.prefix(sent.count)
                        where entry.feed.kind == .direct && entry.feed.author == own
                            && entry.feed.audience != nodeID.publicKey.rawRepresentation
                        {
                            deposited[entry.feed] = max(deposited[entry.feed] ?? 0, entry.seq)
                        }
                    }
                    sessions[nodeID]?.deposits.append(deposited)
                    guard await transport.send(batch.bytes, to: nodeID, session: session.peer.handshakeHash) else {
                        return
                    }
                    continue
                }
                break
            }
        }
    }
}
