import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// The policy for friends' direct messages (§9.1): the DM feeds between this node and a
/// friend go to that friend and come from it, and nobody else's.
package struct FriendsPolicy: SyncPolicy {
    package let own: Ed25519.PublicKey
    package let friends: FriendBook

    package func syncs(with peer: NodeID) async -> Bool { await friends.isFriend(peer) }

    package func mayServe(_ feed: Feed, to peer: NodeID) async -> Bool {
        guard feed.kind == .direct, await friends.isFriend(peer) else { return false }
        return isConversation(feed, between: own, and: peer.publicKey)
    }

    package func mayAccept(_ feed: Feed, from peer: NodeID) async -> Bool {
        guard feed.kind == .direct, await friends.isFriend(peer) else { return false }
        return isConversation(feed, between: own, and: peer.publicKey)
    }

    /// Whether `feed` is one of the two DM feeds between `a` and `b`.
    private func isConversation(_ feed: Feed, between a: Ed25519.PublicKey, and b: Ed25519.PublicKey) -> Bool {
        (feed.author == a && feed.audience == b.rawRepresentation)
            || (feed.author == b && feed.audience == a.rawRepresentation)
    }

    package init(own: Ed25519.PublicKey, friends: FriendBook) {
        self.own = own
        self.friends = friends
    }
}
