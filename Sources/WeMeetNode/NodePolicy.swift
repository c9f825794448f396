import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// The node's sync policy (Protocol.md §8.1, §9.1, §10.5): direct messages between friends
/// (``FriendsPolicy``), moments from a friend to its friends, and group feeds as
/// ``Groups`` decides.
package struct NodePolicy: SyncPolicy {
    package let own: Ed25519.PublicKey
    package let friends: FriendBook
    package let groups: Groups
    package let settings: NodeSettings
    package let readability: DirectReadability
    /// What friends said of their friends and of relaying (§8.5).
    package let mutual: MutualFriends
    /// Mail held for friends; nil in nodes that never relay (tests).
    package let relay: RelayHold?
    /// Our friends' delivered-receipts: mail deposited with a relay starts after them.
    package let messages: DirectMessages

    private var direct: FriendsPolicy { FriendsPolicy(own: own, friends: friends) }

    package func syncs(with peer: NodeID) async -> Bool {
        if await friends.isFriend(peer) { return true }
        return await groups.sharesGroup(with: peer)
    }

    package func mayServe(_ feed: Feed, to peer: NodeID) async -> Bool {
        switch feed.kind {
        case .direct:
            if await direct.mayServe(feed, to: peer) { return true }
            return await mayRelay(feed, to: peer)
        case .moments:
            guard feed.author == own else { return false }
            return await friends.isFriend(peer)
        case .group:
            return await groups.mayServe(
                feed, to: peer, peerIsFriend: await friends.isFriend(peer),
                hidePublicPosts: await settings.hidePublicPosts)
        default:
            return false
        }
    }

    package func mayServeAttachments(of feed: Feed, to peer: NodeID) async -> Bool {
        if feed.kind == .direct, let reader = Self.reader(of: feed), feed.author != own, reader.publicKey != own {
            // Blobs held for a friend's reader (HOLD, §8.5): to that reader, while relaying.
            guard peer == reader, await settings.values.relayForFriends, await friends.isFriend(peer) else {
                return false
            }
            return await friends.isFriend(NodeID(publicKey: feed.author))
        }
        guard feed.kind == .group else { return await mayServe(feed, to: peer) }
        return await groups.mayServeAttachments(
            of: feed, to: peer, peerIsFriend: await friends.isFriend(peer),
            hidePublicPosts: await settings.hidePublicPosts)
    }

    package func mayAccept(_ feed: Feed, from peer: NodeID) async -> Bool {
        switch feed.kind {
        case .direct:
            if await direct.mayAccept(feed, from: peer) { return true }
            return await mayTakeRelayed(feed, from: peer)
        case .moments:
            guard feed.author == peer.publicKey else { return false }
            return await friends.isFriend(peer)
        case .group:
            return await groups.mayAccept(feed, from: peer, peerIsFriend: await friends.isFriend(peer))
        default:
            return false
        }
    }

    package func storageClass(of entry: Entry) async -> StorageClass {
        switch entry.feed.kind {
        case .direct:
            guard entry.feed.author != own else { return .ordinary }
            guard entry.feed.audience == own.rawRepresentation else { return .relayed }
            return await readability.canOpen(entry) ? .ordinary : .unreadable
        case .group:
            return await groups.takesPart(in: GroupID(rawValue: entry.feed.audience)) ? .ordinary : .outsider
        default:
            return .ordinary
        }
    }

    // MARK: Relaying (§8.5)

    /// A direct feed between two others, neither of them this node, given to `peer` (not
    /// one of its two ends): this node's mail deposited with a friend that relays for the
    /// reader, the reader's head told to a relay that holds the feed (acknowledgement), or
    /// mail held here given to its reader.
    private func mayRelay(_ feed: Feed, to peer: NodeID) async -> Bool {
        guard await friends.isFriend(peer), let reader = Self.reader(of: feed) else { return false }
        let author = NodeID(publicKey: feed.author)
        if feed.author == own || reader.publicKey == own {
            // Ours: deposited with (or acknowledged to) a friend who relays for the other end.
            let other = feed.author == own ? reader : author
            guard other != peer, await friends.isFriend(other), await mutual.relays(peer, for: other) else {
                return false
            }
            guard feed.author == own else { return true }
            return await settings.values.friendsRelayMine
        }
        // Held here for `peer`, its reader.
        guard peer == reader, let relay, await settings.values.relayForFriends, await relay.holds(feed.id) else {
            return false
        }
        return await friends.isFriend(author)
    }

    /// Entries of a direct feed that is not between this node and `peer`: mail for this
    /// node through a friend that held it (verified like any, so from any friend), or mail
    /// `peer` deposits here for a friend who told us `peer` is its friend.
    private func mayTakeRelayed(_ feed: Feed, from peer: NodeID) async -> Bool {
        guard await friends.isFriend(peer), let reader = Self.reader(of: feed), feed.author != own else {
            return false
        }
        let author = NodeID(publicKey: feed.author)
        if reader.publicKey == own { return await friends.isFriend(author) }
        guard relay != nil, peer == author, await settings.values.relayForFriends, await friends.isFriend(reader) else {
            return false
        }
        return await mutual.says(reader, hasFriend: author)
    }

    package func serveFrom(_ feed: Feed, to peer: NodeID, have: UInt64) async -> UInt64 {
        guard feed.kind == .direct, feed.author == own, let reader = Self.reader(of: feed), reader != peer else {
            return have
        }
        return max(have, await messages.deliveredTo(reader))
    }

    /// The reader of a direct feed (its audience), when that is a key.
    private static func reader(of feed: Feed) -> NodeID? {
        guard let key = try? Ed25519.PublicKey(rawRepresentation: feed.audience) else { return nil }
        return NodeID(publicKey: key)
    }
}
