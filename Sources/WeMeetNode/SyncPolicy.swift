import WeMeetCrypto
import WeMeetStore

/// Who may be given which feeds, and whose feeds this node keeps (Protocol.md §8.1).
/// Sync asks it before every offer, request and ingest, so a change (an unpairing) applies
/// to the next entry.
protocol SyncPolicy: Sendable {
    /// Whether sync runs with `peer` at all.
    func syncs(with peer: NodeID) async -> Bool
    /// Whether `feed` may be given to `peer`.
    func mayServe(_ feed: Feed, to peer: NodeID) async -> Bool
    /// Whether entries of `feed` coming from `peer` are kept.
    func mayAccept(_ feed: Feed, from peer: NodeID) async -> Bool
    /// What an accepted entry is to this node, for its storage quotas (§8.4).
    func storageClass(of entry: Entry) async -> StorageClass
}

extension SyncPolicy {
    func storageClass(of entry: Entry) async -> StorageClass { .ordinary }
}

/// The policy for friends' direct messages (§9.1): the DM feeds between this node and a
/// friend go to that friend and come from it, and nobody else's.
struct FriendsPolicy: SyncPolicy {
    let own: Ed25519.PublicKey
    let friends: FriendBook

    func syncs(with peer: NodeID) async -> Bool { await friends.isFriend(peer) }

    func mayServe(_ feed: Feed, to peer: NodeID) async -> Bool {
        guard feed.kind == .direct, await friends.isFriend(peer) else { return false }
        return isConversation(feed, between: own, and: peer.publicKey)
    }

    func mayAccept(_ feed: Feed, from peer: NodeID) async -> Bool {
        guard feed.kind == .direct, await friends.isFriend(peer) else { return false }
        return isConversation(feed, between: own, and: peer.publicKey)
    }

    /// Whether `feed` is one of the two DM feeds between `a` and `b`.
    private func isConversation(_ feed: Feed, between a: Ed25519.PublicKey, and b: Ed25519.PublicKey) -> Bool {
        (feed.author == a && feed.audience == b.rawRepresentation)
            || (feed.author == b && feed.audience == a.rawRepresentation)
    }
}
