import WeMeetMessaging
import WeMeetModel

extension Node {
    /// Tells `friend` the person is typing to it (`true`) or stopped (Protocol.md §9.5); at
    /// most one "typing" every three seconds goes out, nothing when the setting is off or the
    /// friend is not connected. Whether a TYPING was sent.
    public func typing(_ typing: Bool, to friend: String) async throws(NodeError) -> Bool {
        let friend = try await findFriend(friend)
        return await (try running()).typing.typed(typing, to: friend.nodeID)
    }

    /// Whether this node sends typing indicators and shows friends'.
    public func typingIndicators() async throws(NodeError) -> Bool {
        await (try running()).settings.values.typingIndicators
    }

    /// Turns typing indicators on or off, both ways: off, this node neither sends them nor
    /// shows friends'.
    public func setTypingIndicators(_ on: Bool) async throws(NodeError) {
        let running = try running()
        try await running.settings.change { $0.typingIndicators = on }
        await running.typing.setEnabled(on)
    }
}
