import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// The sync session with one peer on one channel (Protocol.md §8.3), as a sans-IO state
/// machine in the manner of swift-nio's: an `enum` state, and each input — a message from
/// the peer, a feed that grew, a store read that finished, a timer — returns what the caller
/// does. It holds offer/want, the credit window, the batches in flight and the outbox, and
/// does no I/O: ``Sync`` reads the store, asks the policy and writes to the channel, and
/// hands the answers in. So every order of messages a peer can send, and every race between
/// a read and the session changing under it, is a unit test without sockets.
///
/// Questions that need the policy or the store come in two steps: the machine says which
/// feeds need an answer (``noteOffers(_:)``, ``advanced(_:head:)``), the caller asks, and
/// hands the approved ones back (``want(_:)``, ``offer(_:)``).
package struct SyncSession: Sendable {
    /// Where the session stands.
    package enum State: Sendable {
        /// Syncing.
        case open(Open)
        /// Over (the peer stopped reading, or the session was ended): every input is ignored.
        case ended
    }

    /// The state of an open session.
    package struct Open: Sendable {
        /// Feeds the peer asked for, and the next seq to send it.
        package var subscriptions: [FeedID: UInt64] = [:]
        /// Heads last offered to the peer.
        package var offered: [FeedID: UInt64] = [:]
        /// Heads the peer offered us.
        package var theirHeads: [FeedID: UInt64] = [:]
        /// Feeds we asked the peer for (it pushes them from then on).
        package var wanted: Set<FeedID> = []
        /// Entry bytes we may still send before an acknowledgement.
        package var credit: Int
        /// ENTRIES messages sent and not yet acknowledged.
        package var inFlight = 0
        /// Control messages waiting to be sent (before any entries).
        package var outbox: [SyncMessage] = []
        /// Relayed feeds that grew, to offer together when the relay timer fires.
        package var pendingOffers: [FeedID: Feed] = [:]
        package var sentEntries = 0
        package var receivedEntries = 0

        package init(
            subscriptions: [FeedID: UInt64] = [:], offered: [FeedID: UInt64] = [:], theirHeads: [FeedID: UInt64] = [:],
            wanted: Set<FeedID> = [], credit: Int, outbox: [SyncMessage] = [], pendingOffers: [FeedID: Feed] = [:]
        ) {
            self.subscriptions = subscriptions
            self.offered = offered
            self.theirHeads = theirHeads
            self.wanted = wanted
            self.credit = credit
            self.outbox = outbox
            self.pendingOffers = pendingOffers
        }
    }

    /// What the caller does after an input.
    package enum Action: Equatable, Sendable {
        /// There is something to send: run the writer (``nextOutput(heads:)``).
        case wake
        /// Fire ``relayOffersDue()`` after ``Sync/relayOfferDelay``.
        case startRelayTimer
        /// The peer does not read what it is sent: close its channel (the session is over).
        case close(reason: String)
    }

    /// What the writer does next.
    package enum Output: Equatable, Sendable {
        /// Send this control message.
        case message(SyncMessage)
        /// Read these entries of a subscribed feed, then hand them to ``entriesRead(_:of:from:)``.
        case read(FeedID, ClosedRange<UInt64>)
        /// Nothing to send until the next ``Action/wake``.
        case idle
    }

    /// What a subscribed feed does when it grows (``advanced(_:head:)``).
    package enum Growth: Equatable, Sendable {
        /// Nothing: the peer has it, or it was offered at this head.
        case nothing
        /// The peer asked for it: the writer pushes it.
        case push
        /// Offer it now, if the policy lets the peer have it (``offer(_:)``).
        case offerNow
        /// A relayed feed: it joins the next batch of relayed offers.
        case relayLater
    }

    /// Bytes of entries a node may send before the receiver acknowledges them durable.
    package let window: Int
    /// ENTRIES messages a node may have unacknowledged.
    package let maximumInFlight: Int
    /// Control messages a peer may leave unread before it is disconnected.
    package let maximumOutbox: Int
    /// Entries and bytes per ENTRIES message.
    package let batchEntries: Int
    package let batchBytes: Int
    package private(set) var state: State

    package init(
        window: Int = 1 << 20, maximumInFlight: Int = 2, maximumOutbox: Int = 4096,
        batchEntries: Int = SyncMessage.maximumEntries, batchBytes: Int = SyncMessage.maximumEntryBytes
    ) {
        self.window = window
        self.maximumInFlight = maximumInFlight
        self.maximumOutbox = maximumOutbox
        self.batchEntries = batchEntries
        self.batchBytes = batchBytes
        self.state = .open(Open(credit: window))
    }

    /// The open state, if the session is open.
    package var open: Open? {
        if case .open(let open) = state { return open }
        return nil
    }

    package var isOpen: Bool { open != nil }

    /// Runs `body` on the open state; nothing when ended.
    private mutating func update<R>(_ body: (inout Open) -> R) -> R? {
        guard case .open(var open) = state else { return nil }
        state = .ended  // not copied twice while `body` runs
        let result = body(&open)
        state = .open(open)
        return result
    }

    // MARK: Sending control messages

    /// Queues a control message; a peer that leaves ``maximumOutbox`` unread ends the session.
    package mutating func queue(_ message: SyncMessage) -> [Action] {
        let maximumOutbox = maximumOutbox
        guard let full = update({ $0.outbox.count >= maximumOutbox }) else { return [] }
        if full {
            state = .ended
            return [.close(reason: "not reading sync messages")]
        }
        _ = update { $0.outbox.append(message) }
        return [.wake]
    }

    /// Offers feeds (split into OFFERs of at most 4,096 items) and notes them as offered.
    /// `evenIfEmpty`: an empty OFFER when there is nothing (the first offer of a session says
    /// "nothing for you", §8.3 step 1).
    package mutating func offer(_ offers: [SyncMessage.Offer], evenIfEmpty: Bool = false) -> [Action] {
        let fresh = update { open in
            offers.filter { offer in
                // A feed the peer asked for is pushed as it grows (§8.3 step 4), never offered again.
                guard open.subscriptions[offer.feed.id] == nil, offer.head > open.offered[offer.feed.id] ?? 0 else {
                    return false
                }
                open.offered[offer.feed.id] = offer.head
                return true
            }
        }
        guard let fresh else { return [] }
        if fresh.isEmpty { return evenIfEmpty ? queue(.offer([])) : [] }
        var actions: [Action] = []
        for start in stride(from: 0, to: fresh.count, by: SyncMessage.maximumItems) {
            let chunk = Array(fresh[start..<min(start + SyncMessage.maximumItems, fresh.count)])
            actions = merge(actions, queue(.offer(chunk)))
        }
        return actions
    }

    /// Whether a feed at `head` would be news to the peer (not asked for, not offered at
    /// that head, not offered by the peer at it or beyond).
    package func isNews(_ feed: FeedID, head: UInt64) -> Bool {
        guard let open else { return false }
        return open.subscriptions[feed] == nil && head > open.offered[feed] ?? 0 && head > open.theirHeads[feed] ?? 0
    }

    // MARK: Feeds that grew

    /// `feed` grew to `head` here. `ownFeed`: this node is its author (offered at once);
    /// else it is relayed (offered with others a moment later).
    package mutating func advanced(_ feed: Feed, head: UInt64, ownFeed: Bool) -> (Growth, [Action]) {
        guard let open else { return (.nothing, []) }
        if open.subscriptions[feed.id] != nil { return (.push, [.wake]) }
        guard head > open.offered[feed.id] ?? 0, head > open.theirHeads[feed.id] ?? 0 else { return (.nothing, []) }
        if ownFeed { return (.offerNow, []) }
        let first = update { open in
            defer { open.pendingOffers[feed.id] = feed }
            return open.pendingOffers.isEmpty
        }
        return (.relayLater, first == true ? [.startRelayTimer] : [])
    }

    /// The relay timer fired: the relayed feeds that grew, to offer if still news at the
    /// heads the caller finds (and the policy allows).
    package mutating func relayOffersDue() -> [Feed] {
        update { open in
            defer { open.pendingOffers = [:] }
            return open.pendingOffers.sorted { $0.key < $1.key }.map(\.value)
        } ?? []
    }

    // MARK: Receiving

    /// The peer offered feeds; `have` is this node's head of each. Records the peer's heads
    /// and returns the offers ahead of what this node holds that it has not asked this peer
    /// for: the caller decides which to want (one source per feed, the policy) and hands
    /// them to ``want(_:)``.
    package mutating func noteOffers(_ offers: [(offer: SyncMessage.Offer, have: UInt64)]) -> [SyncMessage.Offer] {
        update { open in
            var candidates: [SyncMessage.Offer] = []
            for (offer, have) in offers {
                open.theirHeads[offer.feed.id] = offer.head
                if offer.head > have, !open.wanted.contains(offer.feed.id) { candidates.append(offer) }
            }
            return candidates
        } ?? []
    }

    /// Asks the peer for feeds after `have` (one WANT).
    package mutating func want(_ items: [(feed: FeedID, have: UInt64)]) -> [Action] {
        guard !items.isEmpty, update({ (open: inout Open) -> Void in open.wanted.formUnion(items.map(\.feed)) }) != nil
        else {
            return []
        }
        return queue(.want(items))
    }

    /// What this node says to a feed the peer asked for.
    package enum WantVerdict: Equatable, Sendable {
        /// Served: pushed from `have + 1` on.
        case serve
        /// Not held here.
        case unknown
        /// Not the peer's to receive.
        case refused
    }

    /// The peer asked for feeds, each with this node's verdict.
    package mutating func received(want items: [(feed: FeedID, have: UInt64, verdict: WantVerdict)]) -> [Action] {
        guard isOpen else { return [] }
        var actions: [Action] = []
        for (feed, have, verdict) in items {
            switch verdict {
            case .serve:
                _ = update { $0.subscriptions[feed] = have + 1 }
            case .unknown:
                actions = merge(
                    actions,
                    queue(.reject(feed: feed, seq: have + 1, reason: .unknownFeed, message: "no such feed here")))
            case .refused:
                actions = merge(
                    actions,
                    queue(.reject(feed: feed, seq: have + 1, reason: .notAuthorised, message: "not yours to receive")))
            }
        }
        return merge(actions, isOpen ? [.wake] : [])
    }

    /// The peer acknowledged `bytes` of entries as durable: credit returns.
    package mutating func received(ack bytes: UInt32) -> [Action] {
        let window = window
        guard
            update({ (open: inout Open) -> Void in
                open.credit = min(window, open.credit + Int(bytes))
                open.inFlight = max(0, open.inFlight - 1)
            }) != nil
        else { return [] }
        return [.wake]
    }

    /// The peer refused a feed: it is no longer pushed to it, nor asked of it on this channel.
    package mutating func received(rejectOf feed: FeedID) {
        _ = update { (open: inout Open) -> Void in
            open.subscriptions[feed] = nil
            open.wanted.remove(feed)
            open.theirHeads[feed] = nil
        }
    }

    /// A batch of entries from the peer was handled: `bytes` of entries to acknowledge,
    /// `stored` of them new here, `refused` the REJECTs to send (in order), and
    /// `stopWanting` feeds whose entries failed (not asked of this peer again).
    package mutating func ingested(
        bytes: Int, stored: Int, refused: [SyncMessage], stopWanting: Set<FeedID>
    ) -> [Action] {
        guard isOpen else { return [] }
        var actions: [Action] = []
        for reject in refused { actions = merge(actions, queue(reject)) }
        _ = update { (open: inout Open) -> Void in
            open.wanted.subtract(stopWanting)
            open.receivedEntries += stored
        }
        return merge(actions, queue(.ack(UInt32(bytes))))
    }

    /// Feeds the peer may no longer receive (the policy changed): their subscriptions end and
    /// the peer is told.
    package mutating func unsubscribe(_ feeds: [FeedID]) -> [Action] {
        var actions: [Action] = []
        for feed in feeds where open?.subscriptions[feed] != nil {
            _ = update { $0.subscriptions[feed] = nil }
            actions = merge(
                actions,
                queue(.reject(feed: feed, seq: 0, reason: .notAuthorised, message: "no longer yours to receive")))
        }
        return actions
    }

    /// Ends the session while the channel stays open; returns the feeds flowing either way,
    /// which the caller refuses so the peer stops sending and asks others.
    package mutating func end() -> [FeedID] {
        guard let open else { return [] }
        state = .ended
        return Array(Set(open.subscriptions.keys).union(open.wanted)).sorted()
    }

    // MARK: The writer

    /// Subscribed feeds, whose heads the writer needs (``nextOutput(heads:)``).
    package var subscribedFeeds: [FeedID] { open?.subscriptions.keys.sorted() ?? [] }

    /// What to send next: control messages first, then a read of the first subscribed feed
    /// with entries the peer lacks, while credit and the in-flight limit allow. `heads`: this
    /// node's head of each subscribed feed.
    package mutating func nextOutput(heads: [FeedID: UInt64], maximumEntryLength: Int = Entry.maximumLength) -> Output {
        let batchEntries = UInt64(batchEntries)
        let maximumInFlight = maximumInFlight
        return update { open in
            if !open.outbox.isEmpty { return .message(open.outbox.removeFirst()) }
            guard open.credit >= maximumEntryLength, open.inFlight < maximumInFlight else { return .idle }
            for (feed, next) in open.subscriptions.sorted(by: { $0.key < $1.key }) {
                guard let head = heads[feed], next <= head else { continue }
                return .read(feed, next...min(head, next + batchEntries - 1))
            }
            return .idle
        } ?? .idle
    }

    /// The writer read `entries` of `feed` from seq `next`: the ENTRIES message to send, or
    /// nil when the session changed meanwhile (the subscription moved or ended; ask
    /// ``nextOutput(heads:)`` again).
    package mutating func entriesRead(_ entries: [Entry], of feed: FeedID, from next: UInt64) -> SyncMessage? {
        let batchBytes = batchBytes
        return update { open -> SyncMessage? in
            guard open.subscriptions[feed] == next else { return nil }
            var batch: [[UInt8]] = []
            var bytes = 0
            let budget = min(batchBytes, open.credit)
            for entry in entries {
                if !batch.isEmpty && bytes + entry.encoded.count > budget { break }
                batch.append(entry.encoded)
                bytes += entry.encoded.count
            }
            guard !batch.isEmpty else { return nil }
            open.subscriptions[feed] = next + UInt64(batch.count)
            open.credit -= bytes
            open.inFlight += 1
            open.sentEntries += batch.count
            return .entries(batch)
        } ?? nil
    }

    /// A subscribed feed cannot be read here: it is no longer pushed.
    package mutating func readFailed(_ feed: FeedID) {
        _ = update { $0.subscriptions[feed] = nil }
    }

    private func merge(_ a: [Action], _ b: [Action]) -> [Action] {
        var out = a
        for action in b where !out.contains(action) { out.append(action) }
        return out
    }
}
