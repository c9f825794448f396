import Logging
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetSync

/// Typing indicators between friends (Protocol.md §9.5): owns ``TypingState`` and does its
/// I/O: sends TYPING on the friend's channel and publishes `dm.typing` events. Nothing of it
/// is ever stored.
package actor TypingIndicators {
    private var state: TypingState
    private let friends: FriendBook
    private let transport: any SyncTransport
    private let events: EventHub
    private let clock: ArrivalClock
    private let logger: Logger

    package init(
        enabled: Bool, friends: FriendBook, transport: any SyncTransport, events: EventHub, clock: ArrivalClock,
        logger: Logger
    ) {
        state = TypingState(enabled: enabled)
        self.friends = friends
        self.transport = transport
        self.events = events
        self.clock = clock
        self.logger = logger
    }

    /// Turns sending and showing typing indicators on or off.
    package func setEnabled(_ on: Bool) { state.enabled = on }

    /// The person is typing to `friend`, or stopped; whether a TYPING went out.
    package func typed(_ typing: Bool, to friend: NodeID) async -> Bool {
        guard case .send(let bytes) = state.typed(typing, to: friend, at: clock.now()) else { return false }
        return await transport.send(bytes, to: friend, session: nil)
    }

    /// A presence message (`0x30`–`0x3F`) from `peer`.
    package func received(_ bytes: [UInt8], from peer: PeerInfo) async {
        let message: TypingMessage
        do {
            guard let parsed = try TypingMessage(bytes: bytes) else { return }
            message = parsed
        } catch {
            // Ignored, not closed: an indicator is worth less than the friend's sync (§9.5).
            logger.debug("ignoring a malformed TYPING", metadata: ["peer": "\(peer.nodeID)", "reason": "\(error)"])
            return
        }
        let isFriend = await friends.isFriend(peer.nodeID)
        apply(state.received(message, from: peer.nodeID, isFriend: isFriend, at: clock.now()), peer: peer)
    }

    /// The channel to `peer` closed.
    package func disconnected(_ peer: PeerInfo) { apply(state.disconnected(peer.nodeID), peer: peer) }

    private func apply(_ action: TypingState.Action, peer: PeerInfo) {
        guard case .publish(let typing) = action else { return }
        events.publish(
            NodeEvent(type: .dmTyping, peer: peer.nodeID, detail: typing ? "typing" : "stopped", name: peer.displayName)
        )
    }
}
