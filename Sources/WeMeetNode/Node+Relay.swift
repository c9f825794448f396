import WeMeetAttachments
import WeMeetModel
import WeMeetStore
import WeMeetSync

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
        if !on {
            await running.relay.dropAll()
            await running.attachments.releaseHeld(before: nil)
        }
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

    /// Drops the mail and blobs held for friends longer than the hold time by `clock`
    /// (Protocol.md §8.5), or all of them when this node no longer relays.
    static func expireHeld(relay: RelayHold, attachments: Attachments, clock: WallClock, relaying: Bool) async {
        if !relaying {
            await relay.dropAll()
            await attachments.releaseHeld(before: nil)
            return
        }
        await relay.expire()
        let hold = await relay.limits.holdMilliseconds
        let now = clock.milliseconds
        await attachments.releaseHeld(before: now > hold ? now - hold : 0)
    }
}
