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

    private var direct: FriendsPolicy { FriendsPolicy(own: own, friends: friends) }

    package func syncs(with peer: NodeID) async -> Bool {
        if await friends.isFriend(peer) { return true }
        return await groups.sharesGroup(with: peer)
    }

    package func mayServe(_ feed: Feed, to peer: NodeID) async -> Bool {
        switch feed.kind {
        case .direct:
            return await direct.mayServe(feed, to: peer)
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
        guard feed.kind == .group else { return await mayServe(feed, to: peer) }
        return await groups.mayServeAttachments(
            of: feed, to: peer, peerIsFriend: await friends.isFriend(peer),
            hidePublicPosts: await settings.hidePublicPosts)
    }

    package func mayAccept(_ feed: Feed, from peer: NodeID) async -> Bool {
        switch feed.kind {
        case .direct:
            return await direct.mayAccept(feed, from: peer)
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
            return await readability.canOpen(entry) ? .ordinary : .unreadable
        case .group:
            return await groups.takesPart(in: GroupID(rawValue: entry.feed.audience)) ? .ordinary : .outsider
        default:
            return .ordinary
        }
    }
}
