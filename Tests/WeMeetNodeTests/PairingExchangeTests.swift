import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

@testable import WeMeetNode

/// The per-candidate state table of Protocol.md §6.3, row by row, without sockets.
@Suite("Pairing exchange (state machine)")
struct PairingExchangeTests {
    static let hash = [UInt8](repeating: 0x11, count: 64)
    static let ours = [UInt8](repeating: 0x22, count: 32)
    static let theirs = [UInt8](repeating: 0x33, count: 32)
    static var theirCommit: [UInt8] { PairingCode.commitment(handshakeHash: hash, nonce: theirs) }

    static func started() -> PairingExchange {
        PairingExchange.start(handshakeHash: hash, weInitiated: true, nonce: ours).0
    }

    @Test func anHonestExchangeOpensRevealsAfterTheirCommitAndShowsTheCode() {
        let (started, opening) = PairingExchange.start(handshakeHash: Self.hash, weInitiated: true, nonce: Self.ours)
        var exchange = started
        #expect(
            opening == [
                .send(.hello(pressing: true)),
                .send(.commit(PairingCode.commitment(handshakeHash: Self.hash, nonce: Self.ours))),
            ])
        #expect(exchange.receive(.hello(pressing: true)).isEmpty)
        #expect(exchange.receive(.commit(Self.theirCommit)) == [.send(.reveal(Self.ours))])
        #expect(exchange.revealedWithoutCode)
        let code = PairingCode.code(handshakeHash: Self.hash, initiatorNonce: Self.ours, responderNonce: Self.theirs)
        #expect(exchange.receive(.reveal(Self.theirs)) == [.showCode(code)])
        #expect(exchange.code == code && !exchange.revealedWithoutCode)
        #expect(exchange.receive(.confirm) == [.peerConfirmed])
        #expect(exchange.theyConfirmed)
    }

    /// The relay attack of the hostile-peers issue: a second COMMIT after our REVEAL would let
    /// the peer choose its nonce knowing ours.
    @Test func aSecondCommitAfterOurRevealEndsTheExchange() {
        var exchange = Self.started()
        _ = exchange.receive(.commit(Self.theirCommit))
        let actions = exchange.receive(.commit([UInt8](repeating: 0x44, count: 32)))
        #expect(actions.first == .send(.decline(.outOfOrder)))
        #expect(exchange.failure == .outOfOrder)
        // Nothing the peer sends afterwards counts, not even a reveal matching either commitment.
        #expect(exchange.receive(.reveal(Self.theirs)).isEmpty)
        #expect(exchange.code == nil)
    }

    @Test(
        "Every message a state does not accept fails the candidate",
        arguments: [
            ([], PairMessage.reveal(theirs)),
            ([], .confirm),
            ([.commit(theirCommit)], .confirm),
            ([.commit(theirCommit), .reveal(theirs)], .commit(theirCommit)),
            ([.commit(theirCommit), .reveal(theirs)], .reveal(theirs)),
            ([.commit(theirCommit), .reveal(theirs), .confirm], .confirm),
        ] as [([PairMessage], PairMessage)])
    func outOfOrderMessagesFail(before: [PairMessage], message: PairMessage) {
        var exchange = Self.started()
        for earlier in before { _ = exchange.receive(earlier) }
        #expect(exchange.failure == nil)
        let actions = exchange.receive(message)
        #expect(actions.first == .send(.decline(.outOfOrder)), "\(before) then \(message): \(actions)")
        #expect(exchange.failure == .outOfOrder)
    }

    /// Conformance issue, point 8 (§6.2–6.3): `HELLO(pressing)` may repeat in every state and
    /// changes nothing, and `HELLO(0)` is not the exchange's business; neither fails it.
    @Test(
        "HELLO repeats and HELLO(0) change nothing in any state",
        arguments: [[], [PairMessage.commit(theirCommit)], [.commit(theirCommit), .reveal(theirs)]]
            as [[PairMessage]])
    func helloRepeatsChangeNothing(before: [PairMessage]) {
        var exchange = Self.started()
        for earlier in before { _ = exchange.receive(earlier) }
        let code = exchange.code
        #expect(exchange.receive(.hello(pressing: true)).isEmpty)
        #expect(exchange.receive(.hello(pressing: true)).isEmpty)
        #expect(exchange.receive(.hello(pressing: false)).isEmpty)
        #expect(exchange.failure == nil && exchange.code == code)
    }

    @Test func aRevealThatDoesNotMatchItsCommitmentFails() {
        var exchange = Self.started()
        _ = exchange.receive(.commit(Self.theirCommit))
        let actions = exchange.receive(.reveal([UInt8](repeating: 0x55, count: 32)))
        #expect(actions.first == .send(.decline(.commitmentMismatch)))
        #expect(exchange.failure == .commitmentMismatch && exchange.code == nil)
    }

    static var code: String {
        PairingCode.code(handshakeHash: hash, initiatorNonce: ours, responderNonce: theirs)
    }

    static func coded() -> PairingExchange {
        var exchange = started()
        _ = exchange.receive(.commit(theirCommit))
        _ = exchange.receive(.reveal(theirs))
        return exchange
    }

    @Test func weConfirmOnceAndOnlyALiveExchangeAndPairWhenBothHave() {
        var early = Self.started()
        #expect(early.confirm().isEmpty, "no code yet: nothing to confirm")
        var exchange = Self.coded()
        #expect(exchange.confirm() == [.send(.confirm)])
        #expect(exchange.weConfirmed && !exchange.theyConfirmed)
        #expect(exchange.confirm().isEmpty, "once")
        #expect(exchange.receive(.confirm) == [.peerConfirmed, .paired(code: Self.code)])
        // The other order: they confirm first, our confirmation completes it.
        var other = Self.coded()
        #expect(other.receive(.confirm) == [.peerConfirmed])
        #expect(other.confirm() == [.send(.confirm), .paired(code: Self.code)])
    }

    @Test(
        "A decline ends the exchange for this press in any state, keeping the code to show",
        arguments: [[], [PairMessage.commit(theirCommit)], [.commit(theirCommit), .reveal(theirs)]]
            as [[PairMessage]])
    func aDeclineEndsTheExchange(before: [PairMessage]) {
        var exchange = Self.started()
        for earlier in before { _ = exchange.receive(earlier) }
        let code = exchange.code
        #expect(exchange.receive(.decline(.severalPressed)) == [.declined(.severalPressed)])
        #expect(exchange.declined == .severalPressed && !exchange.isLive && exchange.code == code)
        #expect(exchange.confirm().isEmpty)
        #expect(exchange.receive(.confirm).isEmpty && exchange.failure == nil, "nothing counts after it")
    }

    /// Turn 1's race: a commitment arriving on a channel the exchange's channel replaced
    /// (§4.8) belongs to no exchange; it neither advances nor fails this one.
    @Test func messagesOfAReplacedChannelChangeNothing() {
        var exchange = Self.started()
        let old = [UInt8](repeating: 0x99, count: 64)
        #expect(exchange.receive(.commit(Self.theirCommit), on: old).isEmpty)
        #expect(exchange.receive(.reveal(Self.theirs), on: old).isEmpty)
        #expect(exchange.state == .awaitingCommit)
        #expect(exchange.receive(.commit(Self.theirCommit), on: Self.hash) == [.send(.reveal(Self.ours))])
    }

    /// Turn 1's other race: a channel closing under a press. Only the exchange's own channel
    /// ends it, and one that closes after our reveal but before a code is an abandoned
    /// exchange (counted by the press, §6.4).
    @Test func aChannelClosingUnderAPressEndsOnlyItsOwnExchange() {
        var exchange = Self.started()
        _ = exchange.receive(.commit(Self.theirCommit))
        #expect(exchange.channelClosed([UInt8](repeating: 0x99, count: 64)).isEmpty, "a replaced channel")
        #expect(exchange.revealedWithoutCode)
        #expect(exchange.channelClosed(Self.hash) == [.abandonedAfterReveal])
        #expect(exchange.state == .closed && exchange.receive(.reveal(Self.theirs)).isEmpty)

        var coded = Self.coded()
        #expect(coded.channelClosed(Self.hash).isEmpty && coded.state == .closed && !coded.isLive)
        var fresh = Self.started()
        #expect(fresh.channelClosed(Self.hash).isEmpty && fresh.state == .closed)
        var declined = Self.started()
        _ = declined.receive(.decline(.windowEnded))
        #expect(declined.channelClosed(Self.hash).isEmpty && declined.declined == .windowEnded, "stays declined")
    }
}
