import WeMeetModel

extension Node {
    /// Whether this node holds and passes on mail between its friends (Protocol.md §8.5).
    public func relaysForFriends() async throws(NodeError) -> Bool {
        await (try running()).settings.values.relayForFriends
    }

    /// Turns relaying for friends on or off; off drops every feed held for them at once,
    /// and friends are told (FRIENDS) so they deposit elsewhere.
    public func setRelayForFriends(_ on: Bool) async throws(NodeError) {
        let running = try running()
        try await running.settings.change { $0.relayForFriends = on }
        if !on { await running.relay.dropAll() }
        await running.mutual.changed(relays: on)
        await running.sync.policyChanged()
    }

    /// Whether this node deposits its mail with friends who relay.
    public func friendsRelayMine() async throws(NodeError) -> Bool {
        await (try running()).settings.values.friendsRelayMine
    }

    /// Lets friends who relay hold this node's mail for its readers, or stops it (what they
    /// hold already stays until its reader has it or the hold time passes).
    public func setFriendsRelayMine(_ on: Bool) async throws(NodeError) {
        let running = try running()
        try await running.settings.change { $0.friendsRelayMine = on }
        await running.sync.policyChanged()
    }
}
