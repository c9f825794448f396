import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

@testable import WeMeetNode

/// The sync session machine on its own (Protocol.md §8.3): each input and what it returns,
/// without a store, a policy, NIO or sockets.
@Suite("sync session machine")
struct SyncSessionTests {
    static let key = Ed25519.PrivateKey()
    static let other = Ed25519.PrivateKey()
    static let feed = Feed(author: key.publicKey, kind: .direct, audience: other.publicKey.rawRepresentation)
    static let relayed = Feed(author: other.publicKey, kind: .direct, audience: key.publicKey.rawRepresentation)

    /// `count` signed entries of ``feed`` from seq `from`, each with a `size`-byte payload.
    static func entries(_ count: Int, from: UInt64 = 1, size: Int = 100) throws -> [Entry] {
        try (0..<UInt64(count)).map { index in
            try Entry(
                feed: feed, seq: from + index, previous: .zero, timestamp: 0, contentType: 1,
                payload: [UInt8](repeating: 7, count: size), signedBy: key)
        }
    }

    /// Drains the outbox (what the writer would send before any entries).
    static func drain(_ session: inout SyncSession) -> [SyncMessage] {
        var sent: [SyncMessage] = []
        while case .message(let message) = session.nextOutput(heads: [:]) { sent.append(message) }
        return sent
    }

    @Test func theFirstOfferSaysNothingWhenThereIsNothingAndAFeedIsOfferedOncePerHead() {
        var session = SyncSession()
        #expect(session.offer([], evenIfEmpty: true) == [.wake])
        #expect(Self.drain(&session) == [.offer([])])
        let offer = SyncMessage.Offer(feed: Self.feed, head: 3)
        #expect(session.offer([offer]) == [.wake])
        #expect(session.offer([offer]).isEmpty, "the same head is not offered twice")
        #expect(session.offer([.init(feed: Self.feed, head: 4)]) == [.wake])
        #expect(Self.drain(&session) == [.offer([offer]), .offer([.init(feed: Self.feed, head: 4)])])
    }

    @Test func offersAreSplitIntoMessagesOfAtMost4096Items() {
        var session = SyncSession()
        let offers = (0..<5000).map { index in
            SyncMessage.Offer(
                feed: Feed(
                    author: Self.key.publicKey, kind: .group,
                    audience: Blake2b.hash(withUnsafeBytes(of: index) { Array($0) }, length: .bytes32)),
                head: 1)
        }
        _ = session.offer(offers)
        #expect(Self.drain(&session).map { if case .offer(let items) = $0 { items.count } else { 0 } } == [4096, 904])
    }

    @Test func anOfferAheadOfWhatIsHeldIsACandidateUntilItIsWanted() {
        var session = SyncSession()
        let ahead = SyncMessage.Offer(feed: Self.relayed, head: 5)
        let behind = SyncMessage.Offer(feed: Self.feed, head: 2)
        #expect(session.noteOffers([(ahead, 3), (behind, 2)]) == [ahead])
        #expect(session.open?.theirHeads == [Self.relayed.id: UInt64(5), Self.feed.id: 2])
        #expect(session.want([(Self.relayed.id, 3)]) == [.wake])
        #expect(session.open?.wanted == [Self.relayed.id])
        #expect(session.noteOffers([(.init(feed: Self.relayed, head: 6), 3)]).isEmpty, "already asked of this peer")
        #expect(Self.drain(&session) == [.want([(feed: Self.relayed.id, have: UInt64(3))])])
        #expect(session.want([]).isEmpty, "nothing to ask for, no message")
    }

    @Test func aWantIsServedFromHavePlusOneAndRefusalsCarryTheirCodes() throws {
        var session = SyncSession()
        let unknown = Feed(author: Self.other.publicKey, kind: .group).id
        let refused = Self.relayed.id
        let actions = session.received(want: [
            (Self.feed.id, 2, .serve), (unknown, 0, .unknown), (refused, 4, .refused),
        ])
        #expect(actions == [.wake])
        #expect(session.open?.subscriptions == [Self.feed.id: 3])
        #expect(
            Self.drain(&session) == [
                .reject(feed: unknown, seq: 1, reason: .unknownFeed, message: "no such feed here"),
                .reject(feed: refused, seq: 5, reason: .notAuthorised, message: "not yours to receive"),
            ])
        #expect(session.nextOutput(heads: [Self.feed.id: 2]) == .idle, "nothing past the head yet")
        #expect(session.nextOutput(heads: [Self.feed.id: 9]) == .read(Self.feed.id, 3...9))
    }

    @Test func controlMessagesGoBeforeEntries() {
        var session = SyncSession()
        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        _ = session.queue(.ack(10))
        #expect(session.nextOutput(heads: [Self.feed.id: 5]) == .message(.ack(10)))
        #expect(session.nextOutput(heads: [Self.feed.id: 5]) == .read(Self.feed.id, 1...5))
    }

    @Test func aReadIsBatchedWithinTheCreditAndTheInFlightLimit() throws {
        var session = SyncSession(window: 1000, maximumInFlight: 2, batchBytes: 600)
        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        let entries = try Self.entries(8, size: 100)
        let size = entries[0].encoded.count
        // A batch stops before the bytes per message would be exceeded.
        guard case .entries(let first) = session.entriesRead(entries, of: Self.feed.id, from: 1) else {
            Issue.record("no batch")
            return
        }
        #expect(first.count == 600 / size)
        #expect(session.open?.subscriptions[Self.feed.id] == UInt64(first.count) + 1)
        #expect(session.open?.credit == 1000 - first.count * size)
        #expect(session.open?.inFlight == 1)
        // Credit below one maximal entry: the writer waits for an ACK.
        #expect(session.nextOutput(heads: [Self.feed.id: 8], maximumEntryLength: 700) == .idle)
        #expect(session.received(ack: UInt32(first.count * size)) == [.wake])
        #expect(session.open?.credit == 1000 && session.open?.inFlight == 0)
        #expect(session.received(ack: 5000) == [.wake])
        #expect(session.open?.credit == 1000, "credit never exceeds the window")
    }

    @Test func twoBatchesInFlightHoldTheWriterUntilAnAck() throws {
        var session = SyncSession(maximumInFlight: 2)
        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        let entries = try Self.entries(3)
        #expect(session.entriesRead([entries[0]], of: Self.feed.id, from: 1) != nil)
        #expect(session.entriesRead([entries[1]], of: Self.feed.id, from: 2) != nil)
        #expect(session.nextOutput(heads: [Self.feed.id: 3]) == .idle)
        _ = session.received(ack: 1)
        #expect(session.nextOutput(heads: [Self.feed.id: 3]) == .read(Self.feed.id, 3...3))
    }

    /// The race: the writer reads the store while the peer refuses the feed (or the
    /// subscription moves on); the entries it read are not sent.
    @Test func aReadThatFinishesAfterTheSessionChangedSendsNothing() throws {
        var session = SyncSession()
        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        #expect(session.nextOutput(heads: [Self.feed.id: 2]) == .read(Self.feed.id, 1...2))
        session.received(rejectOf: Self.feed.id)
        #expect(session.entriesRead(try Self.entries(2), of: Self.feed.id, from: 1) == nil)
        #expect(session.open?.sentEntries == 0)

        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        let read = try Self.entries(2)
        #expect(session.entriesRead(read, of: Self.feed.id, from: 1) != nil)
        #expect(session.entriesRead(read, of: Self.feed.id, from: 1) == nil, "a read from a stale seq")
    }

    @Test func aFeedThatGrowsIsPushedOfferedOrBatchedByWhoseItIs() {
        var session = SyncSession()
        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        #expect(session.advanced(Self.feed, head: 1, ownFeed: true) == (.push, [.wake]))

        var other = SyncSession()
        #expect(other.advanced(Self.feed, head: 1, ownFeed: true) == (.offerNow, []))
        #expect(other.advanced(Self.relayed, head: 1, ownFeed: false) == (.relayLater, [.startRelayTimer]))
        let second = Feed(author: Self.other.publicKey, kind: .moments)
        #expect(other.advanced(second, head: 4, ownFeed: false) == (.relayLater, []), "one timer per batch")
        #expect(other.relayOffersDue().map(\.id) == [Self.relayed.id, second.id].sorted())
        #expect(other.relayOffersDue().isEmpty)
        #expect(other.advanced(Self.relayed, head: 2, ownFeed: false) == (.relayLater, [.startRelayTimer]))
    }

    @Test func aFeedThePeerOfferedAtThatHeadIsNotNews() {
        var session = SyncSession()
        _ = session.noteOffers([(.init(feed: Self.relayed, head: 5), 5)])
        #expect(session.advanced(Self.relayed, head: 5, ownFeed: false) == (.nothing, []))
        #expect(!session.isNews(Self.relayed.id, head: 5))
        #expect(session.isNews(Self.relayed.id, head: 6))
        _ = session.offer([.init(feed: Self.feed, head: 2)])
        #expect(session.advanced(Self.feed, head: 2, ownFeed: true) == (.nothing, []), "offered at that head")
    }

    @Test func aBatchReceivedIsAcknowledgedAfterItsRefusals() {
        var session = SyncSession()
        _ = session.want([(Self.relayed.id, 0)])
        _ = Self.drain(&session)
        let reject = SyncMessage.reject(feed: Self.relayed.id, seq: 2, reason: .gap, message: "gap")
        #expect(session.ingested(bytes: 300, stored: 1, refused: [reject], stopWanting: [Self.relayed.id]) == [.wake])
        #expect(Self.drain(&session) == [reject, .ack(300)])
        #expect(session.open?.wanted.isEmpty == true && session.open?.receivedEntries == 1)
    }

    @Test func aPolicyChangeEndsSubscriptionsWithARefusal() {
        var session = SyncSession()
        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        #expect(session.unsubscribe([Self.feed.id, Self.relayed.id]) == [.wake], "only subscribed feeds")
        #expect(
            Self.drain(&session) == [
                .reject(feed: Self.feed.id, seq: 0, reason: .notAuthorised, message: "no longer yours to receive")
            ])
        #expect(session.subscribedFeeds.isEmpty)
    }

    @Test func aPeerThatDoesNotReadItsOutboxIsClosedAndTheSessionEnds() {
        var session = SyncSession(maximumOutbox: 3)
        for seq in 0..<3 { #expect(session.queue(.ack(UInt32(seq))) == [.wake]) }
        #expect(session.queue(.ack(9)) == [.close(reason: "not reading sync messages")])
        #expect(!session.isOpen)
        #expect(session.received(want: [(Self.feed.id, 0, .serve)]).isEmpty, "an ended session ignores everything")
        #expect(session.received(ack: 1).isEmpty)
        #expect(session.nextOutput(heads: [:]) == .idle)
    }

    @Test func endingASessionNamesEveryFeedFlowingEitherWay() {
        var session = SyncSession()
        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        _ = session.want([(Self.relayed.id, 0)])
        #expect(Set(session.end()) == [Self.feed.id, Self.relayed.id])
        #expect(!session.isOpen)
        #expect(session.end().isEmpty)
    }

    @Test func aFeedThatCannotBeReadIsNoLongerPushed() {
        var session = SyncSession()
        _ = session.received(want: [(Self.feed.id, 0, .serve)])
        session.readFailed(Self.feed.id)
        #expect(session.nextOutput(heads: [Self.feed.id: 3]) == .idle)
    }
}
