import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// The commit–reveal exchange with one candidate on one channel (Protocol.md §6.4), as a
/// sans-IO state machine: each input returns the actions the caller performs (send a message,
/// show a code, fail the candidate). It does no I/O, so every order of messages a hostile peer
/// can send is unit-tested without sockets.
///
/// The states and what each accepts are the table in Protocol.md §6.3 ("Order"); this type is
/// a direct reading of it. Anything a state does not accept ends the exchange as
/// ``State/failed(_:)``: a candidate that broke the order is never paired in this press.
package struct PairingExchange: Sendable {
    /// Where the exchange stands.
    package enum State: Equatable, Sendable {
        /// We sent `HELLO(pressing)` and our `COMMIT`; waiting for the peer's `COMMIT`.
        case awaitingCommit
        /// We hold the peer's commitment and sent our `REVEAL`; waiting for the peer's `REVEAL`.
        case awaitingReveal(commitment: [UInt8])
        /// Both nonces are known and checked: the code is shown. Each side confirms once;
        /// when both have, the two are paired.
        case coded(code: String, weConfirmed: Bool, theyConfirmed: Bool)
        /// The peer said it will not pair in this press (`DECLINE`); a new press of its own
        /// starts a new exchange.
        case declined(PairMessage.DeclineReason, code: String?)
        /// The peer broke the exchange; nothing more from it counts in this press.
        case failed(PairMessage.DeclineReason)
        /// The exchange's channel closed.
        case closed
    }

    /// What the caller does after an input.
    package enum Action: Equatable, Sendable {
        /// Send this message on the exchange's channel (and only there, §6.4).
        case send(PairMessage)
        /// The code is known: show it (a `pair.candidate` event).
        case showCode(String)
        /// The peer confirmed us.
        case peerConfirmed
        /// Both sides confirmed: record the friend with this code.
        case paired(code: String)
        /// The peer declined this press.
        case declined(PairMessage.DeclineReason)
        /// The channel closed after we revealed our nonce and before a code: the peer had our
        /// nonce for nothing (a press tolerates few of these, §6.4).
        case abandonedAfterReveal
        /// The peer broke the exchange for this reason; `DECLINE` was already sent.
        case failed(PairMessage.DeclineReason, why: String)
    }

    /// The channel's handshake hash `h`.
    package let handshakeHash: [UInt8]
    /// Whether this node opened the channel (its nonce is `n_initiator`).
    package let weInitiated: Bool
    /// Our nonce for this channel.
    package let nonce: [UInt8]
    package private(set) var state: State = .awaitingCommit

    /// Starts an exchange on a channel; returns it with the messages that open it
    /// (`HELLO(pressing)` and our `COMMIT`).
    package static func start(handshakeHash: [UInt8], weInitiated: Bool, nonce: [UInt8]) -> (Self, [Action]) {
        let exchange = Self(handshakeHash: handshakeHash, weInitiated: weInitiated, nonce: nonce)
        let commitment = PairingCode.commitment(handshakeHash: handshakeHash, nonce: nonce)
        return (exchange, [.send(.hello(pressing: true)), .send(.commit(commitment))])
    }

    /// The code, once both nonces are known and checked (kept after a decline, to show).
    package var code: String? {
        switch state {
        case .coded(let code, _, _): code
        case .declined(_, let code): code
        default: nil
        }
    }

    /// Whether we confirmed the peer.
    package var weConfirmed: Bool {
        if case .coded(_, true, _) = state { return true }
        return false
    }

    /// Whether the peer confirmed us.
    package var theyConfirmed: Bool {
        if case .coded(_, _, true) = state { return true }
        return false
    }

    /// Why the peer declined this press, if it did.
    package var declined: PairMessage.DeclineReason? {
        if case .declined(let reason, _) = state { return reason }
        return nil
    }

    /// Still able to pair in this press: coded, and neither declined nor failed.
    package var isLive: Bool {
        if case .coded = state { return true }
        return false
    }

    /// Whether we revealed our nonce but the peer has not revealed a matching one: an exchange
    /// abandoned in this state gave the peer our nonce for nothing (§6.4, aborted exchanges).
    package var revealedWithoutCode: Bool {
        if case .awaitingReveal = state { return true }
        return false
    }

    /// Whether the peer broke the exchange.
    package var failure: PairMessage.DeclineReason? {
        if case .failed(let reason) = state { return reason }
        return nil
    }

    /// One pairing message from the peer on the channel whose handshake hash is `channel`.
    /// Messages of any other channel (one this exchange's channel replaced, §4.8) belong to
    /// no exchange and change nothing (§6.4).
    package mutating func receive(_ message: PairMessage, on channel: [UInt8]) -> [Action] {
        guard channel == handshakeHash else { return [] }
        return receive(message)
    }

    /// One pairing message from the peer on this exchange's channel. `HELLO(pressing)` repeats
    /// change nothing; `UNPAIRED` is not the exchange's business.
    package mutating func receive(_ message: PairMessage) -> [Action] {
        switch (state, message) {
        case (.failed, _), (.closed, _):
            return []
        case (.declined, _):
            // Over for this press; a new press of the peer's starts a new exchange.
            return []
        case (_, .decline(let reason)):
            state = .declined(reason, code: code)
            return [.declined(reason)]
        case (_, .hello(true)):
            // Repeated HELLO(pressing) is harmless: a node says it on every channel it learns of.
            return []
        case (.awaitingCommit, .commit(let commitment)):
            state = .awaitingReveal(commitment: commitment)
            return [.send(.reveal(nonce))]
        case (.awaitingReveal(let commitment), .reveal(let theirNonce)):
            guard PairingCode.commitment(handshakeHash: handshakeHash, nonce: theirNonce) == commitment else {
                return fail(.commitmentMismatch, "its nonce does not match its commitment")
            }
            let code = PairingCode.code(
                handshakeHash: handshakeHash,
                initiatorNonce: weInitiated ? nonce : theirNonce,
                responderNonce: weInitiated ? theirNonce : nonce)
            state = .coded(code: code, weConfirmed: false, theyConfirmed: false)
            return [.showCode(code)]
        case (.coded(let code, let weConfirmed, false), .confirm):
            state = .coded(code: code, weConfirmed: weConfirmed, theyConfirmed: true)
            return weConfirmed ? [.peerConfirmed, .paired(code: code)] : [.peerConfirmed]
        case (.awaitingReveal, .commit), (.coded, .commit):
            return fail(.outOfOrder, "it sent a second commitment")
        case (_, .reveal):
            return fail(.outOfOrder, "it revealed before committing")
        case (.coded(_, _, true), .confirm):
            return fail(.outOfOrder, "it confirmed twice")
        case (_, .confirm):
            return fail(.outOfOrder, "it confirmed before the code was known")
        case (_, .hello(false)), (_, .unpaired):
            return []
        }
    }

    /// This node chooses the peer (the press decided, or the user picked it): `CONFIRM`, and
    /// the pairing completes if the peer already confirmed. Only a live exchange confirms,
    /// and only once.
    package mutating func confirm() -> [Action] {
        guard case .coded(let code, false, let theyConfirmed) = state else { return [] }
        state = .coded(code: code, weConfirmed: true, theyConfirmed: theyConfirmed)
        return theyConfirmed ? [.send(.confirm), .paired(code: code)] : [.send(.confirm)]
    }

    /// The channel whose handshake hash is `channel` closed. Only this exchange's own channel
    /// ends it; one it replaced closing later changes nothing.
    package mutating func channelClosed(_ channel: [UInt8]) -> [Action] {
        guard channel == handshakeHash else { return [] }
        switch state {
        case .failed, .closed, .declined:
            return []
        case .awaitingReveal:
            state = .closed
            return [.abandonedAfterReveal]
        case .awaitingCommit, .coded:
            state = .closed
            return []
        }
    }

    private mutating func fail(_ reason: PairMessage.DeclineReason, _ why: String) -> [Action] {
        state = .failed(reason)
        return [.send(.decline(reason)), .failed(reason, why: why)]
    }

    package init(handshakeHash: [UInt8], weInitiated: Bool, nonce: [UInt8]) {
        self.handshakeHash = handshakeHash
        self.weInitiated = weInitiated
        self.nonce = nonce
    }
}
