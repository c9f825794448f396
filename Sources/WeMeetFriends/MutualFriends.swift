import Foundation
import Logging
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetSync

/// What each friend told this node of its friends and of relaying (FRIENDS, Protocol.md
/// §8.5), and telling them ours: which of our friends each friend also has, and whether it
/// holds mail between its friends. Relaying needs both: a node deposits its mail for Bob only
/// with a friend that relays and said Bob is its friend, and a relay takes Alice's mail for
/// Bob only when Bob said Alice is his friend. Kept in a file of the home, so a relay still
/// knows it while Bob is away.
package actor MutualFriends {
    /// What one friend said: its tags, and in our terms the friends of ours it also has
    /// (found again from the tags whenever our friends change).
    package struct Said: Codable, Sendable, Equatable {
        package var relays: Bool
        package var tags: Set<[UInt8]>
        package var friends: Set<NodeID>
    }

    /// FRIENDS from nodes not (yet) friends here, kept until pairing finishes on this side
    /// too (the other side may tell us first); a few, in memory only.
    private var early: [NodeID: FriendsMessage] = [:]
    private static let earlyLimit = 16

    private let own: NodeID
    private let friendBook: FriendBook
    private let transport: any SyncTransport
    private let path: String
    private let logger: Logger
    private var said: [NodeID: Said]
    /// Whether this node tells its friends it relays (the user's setting).
    private var relays: Bool

    private let events: EventHub

    package init(
        own: NodeID, friends: FriendBook, transport: any SyncTransport, path: String, relays: Bool, events: EventHub,
        logger: Logger
    ) {
        self.events = events
        self.own = own
        self.friendBook = friends
        self.transport = transport
        self.path = path
        self.relays = relays
        self.logger = logger
        said =
            (try? JSONDecoder().decode([NodeID: Said].self, from: Data(contentsOf: URL(fileURLWithPath: path))))
            ?? [:]
    }

    /// Whether `peer` said it relays for its friends and that `friend` is one of them.
    package func relays(_ peer: NodeID, for friend: NodeID) -> Bool {
        guard let said = said[peer] else { return false }
        return said.relays && said.friends.contains(friend)
    }

    /// Whether `peer` said (the last time it told us) that `friend` is its friend.
    package func says(_ peer: NodeID, hasFriend friend: NodeID) -> Bool {
        said[peer]?.friends.contains(friend) == true
    }

    /// What `peer` told us last, for status and tests.
    package func said(by peer: NodeID) -> Said? { said[peer] }

    /// A FRIENDS message from `peer`: whether what it says changed (so sync looks again).
    /// Ignored from anyone but a friend, and when malformed.
    package func received(_ bytes: [UInt8], from peer: NodeID) async -> Bool {
        let message: FriendsMessage
        do { message = try FriendsMessage(bytes: bytes) } catch {
            logger.debug("ignoring a malformed FRIENDS", metadata: ["peer": "\(peer)", "reason": "\(error)"])
            return false
        }
        guard await friendBook.isFriend(peer) else {
            if early[peer] == nil, early.count >= Self.earlyLimit, let any = early.keys.first { early[any] = nil }
            early[peer] = message
            return false
        }
        let changed = await apply(Said(relays: message.relays, tags: Set(message.tags), friends: []), from: peer)
        if changed {
            save()
            // News from a friend is answered with ours: a FRIENDS lost on a channel replaced
            // as it was sent is made good (an unchanged one is not answered, so this ends).
            await connected(peer)
        }
        return changed
    }

    /// Takes what `peer` said, finding its friends among ours; whether anything changed.
    private func apply(_ heard: Said, from peer: NodeID) async -> Bool {
        var now = heard
        now.friends = []
        for friend in await friendBook.all where friend.nodeID != peer {
            if now.tags.contains(FriendsMessage.tag(sender: peer, receiver: own, friend: friend.nodeID)) {
                now.friends.insert(friend.nodeID)
            }
        }
        guard said[peer] != now else { return false }
        said[peer] = now
        events.publish(NodeEvent(type: .friendMutual, peer: peer))
        return true
    }

    /// Our FRIENDS for `receiver`: every other friend's tag.
    package func message(for receiver: NodeID) async -> FriendsMessage {
        var tags: [[UInt8]] = []
        for friend in await friendBook.all where friend.nodeID != receiver {
            tags.append(FriendsMessage.tag(sender: own, receiver: receiver, friend: friend.nodeID))
        }
        tags.sort { $0.lexicographicallyPrecedes($1) }
        return FriendsMessage(relays: relays, tags: Array(tags.prefix(FriendsMessage.maximumTags)))
    }

    /// A channel to `peer` is up: tell it, if a friend.
    package func connected(_ peer: NodeID) async {
        guard await friendBook.isFriend(peer) else { return }
        _ = await transport.send(await message(for: peer).bytes, to: peer, session: nil)
    }

    /// Our friends or the relay setting changed: tell every friend connected now, and forget
    /// what former friends said.
    /// Whether what friends said changed with it (sync looks again).
    /// Every policy change (a group's members too) calls this; only a change of our friends,
    /// of the relay setting or a friend's early FRIENDS costs the tags (friends² hashes).
    @discardableResult
    package func changed(relays: Bool) async -> Bool {
        let friends = Set(await friendBook.all.map(\.nodeID))
        if let last = lastChange, last.friends == friends, last.relays == relays, early.isEmpty { return false }
        lastChange = (friends, relays)
        self.relays = relays
        var changed = false
        for peer in said.keys where !(await friendBook.isFriend(peer)) {
            said[peer] = nil
            changed = true
        }
        for (peer, message) in early where await friendBook.isFriend(peer) {
            early[peer] = nil
            said[peer] = Said(relays: message.relays, tags: Set(message.tags), friends: [])
        }
        // Our friends changed: which of them each friend has is found again.
        for (peer, heard) in said where await apply(heard, from: peer) { changed = true }
        if changed { save() }
        for peer in await transport.peers() { await connected(peer.nodeID) }
        return changed
    }

    /// Our friends and relay setting at the last ``changed(relays:)``.
    private var lastChange: (friends: Set<NodeID>, relays: Bool)?

    private func save() {
        guard let data = try? JSONEncoder().encode(said) else { return }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            logger.warning("cannot keep what friends said of their friends", metadata: ["reason": "\(error)"])
        }
    }
}
