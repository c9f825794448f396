import WeMeetCrypto
import WeMeetModel

/// The rules of typing indicators (Protocol.md §9.5), without I/O: each input returns what
/// to do, and the caller sends or publishes it.
///
/// - Receiving: only a friend's TYPING counts; a "typing" is taken at most once a second per
///   friend by this node's own clock, a "stopped" only after a "typing" was taken; the rest is
///   ignored. So a friend, however hostile, makes at most two events a second.
/// - Sending: a "typing" at most every three seconds per friend while the person types, a
///   "stopped" only after a "typing"; nothing at all when the setting is off (then a friend's
///   indicators are not shown either, as Signal does).
package struct TypingState: Sendable {
    /// What the caller does next.
    package enum Action: Equatable, Sendable {
        /// Nothing.
        case none
        /// Send these bytes to the friend.
        case send([UInt8])
        /// Tell the person the friend is typing (`true`) or stopped (`false`).
        case publish(Bool)
    }

    /// The shortest time between two "typing" taken from one friend.
    package static let receiveInterval: Duration = .seconds(1)
    /// The shortest time between two "typing" sent to one friend.
    package static let sendInterval: Duration = .seconds(3)

    /// Whether this node sends and shows typing indicators.
    package var enabled = true
    /// Per friend: when its last "typing" was taken, and whether it is shown as typing.
    private var received: [NodeID: (at: ContinuousClock.Instant, typing: Bool)] = [:]
    /// Per friend: when this node last sent it "typing", and whether it has since sent "stopped".
    private var sent: [NodeID: (at: ContinuousClock.Instant, typing: Bool)] = [:]

    package init(enabled: Bool = true) { self.enabled = enabled }

    /// A TYPING from `peer` arrived at `now`.
    package mutating func received(
        _ message: TypingMessage, from peer: NodeID, isFriend: Bool, at now: ContinuousClock.Instant
    ) -> Action {
        guard enabled, isFriend else { return .none }
        let last = received[peer]
        if message.typing {
            if let last, now - last.at < Self.receiveInterval { return .none }
            received[peer] = (now, true)
            return .publish(true)
        }
        guard let last, last.typing else { return .none }
        received[peer] = (last.at, false)
        return .publish(false)
    }

    /// The person is typing to `friend` (`true`), or stopped: sent, cleared the box, left.
    package mutating func typed(_ typing: Bool, to friend: NodeID, at now: ContinuousClock.Instant) -> Action {
        guard enabled else { return .none }
        let last = sent[friend]
        if typing {
            if let last, last.typing, now - last.at < Self.sendInterval { return .none }
            sent[friend] = (now, true)
            return .send(TypingMessage(typing: true).bytes)
        }
        guard let last, last.typing else { return .none }
        sent[friend] = (last.at, false)
        return .send(TypingMessage(typing: false).bytes)
    }

    /// The channel to `peer` closed: a friend shown typing is shown stopped.
    package mutating func disconnected(_ peer: NodeID) -> Action {
        sent[peer] = nil
        guard let last = received.removeValue(forKey: peer), last.typing else { return .none }
        return .publish(false)
    }
}
