import Logging
import WeMeetAttachments
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// Routes what the connection manager reports to friends and pairing: blocked nodes are
/// refused, a node we unpaired is told so when it connects, and pairing messages
/// (Protocol.md §6.6) go to ``Pairing``, typing indicators (§9.5) to ``TypingIndicators``.
package struct NodeDelegate: ConnectionDelegate {
    package let friends: FriendBook
    package let pairing: Pairing
    package let sync: Sync
    package let attachments: Attachments
    package let typing: TypingIndicators
    package let mutual: MutualFriends
    package let messages: DirectMessages
    package let settings: NodeSettings
    package let manager: ConnectionManager
    package let events: EventHub
    package let logger: Logger

    package func connected(_ peer: PeerInfo) async {
        if await friends.wasRemoved(peer.nodeID) {
            await manager.send(PairMessage.unpaired.bytes, to: peer.nodeID)
            await friends.removalDelivered(peer.nodeID)
        }
        // A friend that connects under a new name renamed itself (Protocol.md §6.5), at most
        // once an hour each: a friend reconnecting under names in turn cannot grow the store.
        if let renamed = await friends.renamed(peer.nodeID, to: peer.displayName, now: .now) {
            logger.info("a friend renamed itself", metadata: ["peer": "\(peer.nodeID)", "name": "\(renamed.name)"])
            events.publish(NodeEvent(type: .friendRenamed, peer: peer.nodeID, name: renamed.name))
        }
        await pairing.connected(peer)
        await mutual.connected(peer.nodeID)
        await askToHold(peer.nodeID)
        await sync.connected(peer)
        await attachments.connected(peer.nodeID)
    }

    package func disconnected(_ peer: PeerInfo) async {
        await pairing.disconnected(peer)
        await sync.disconnected(peer)
        await attachments.disconnected(peer.nodeID)
        await typing.disconnected(peer)
    }

    package func received(_ message: [UInt8], from peer: PeerInfo) async -> MessageVerdict {
        if let type = message.first, SyncMessage.isSync(type) {
            return await sync.handle(message, from: peer)
        }
        if let type = message.first, BlobMessage.isBlob(type) {
            return await attachments.received(message, from: peer)
        }
        if message.first == HoldMessage.type {
            await hold(message, from: peer.nodeID)
            return .keep
        }
        if message.first == FriendsMessage.type {
            // What a friend has, for relaying (§8.5): sync looks again when it changed.
            if await mutual.received(message, from: peer.nodeID) {
                await sync.policyChanged()
                await askToHold(peer.nodeID)
            }
            return .keep
        }
        if let type = message.first, TypingMessage.isPresence(type) {
            await typing.received(message, from: peer)
            return .keep
        }
        guard let type = message.first, PairMessage.isPairing(type) else {
            // Later message families are not known to this version: ignore them.
            logger.debug("ignoring a message of unknown type", metadata: ["peer": "\(peer.nodeID)"])
            return .keep
        }
        let parsed: PairMessage
        do { parsed = try PairMessage(bytes: message) } catch {
            logger.info("peer broke the pairing protocol", metadata: ["peer": "\(peer.nodeID)", "reason": "\(error)"])
            return .close(.protocolError, error.message)
        }
        if case .unpaired = parsed {
            if (try? await friends.remove(peer.nodeID)) == true {
                logger.info(
                    "a friend unpaired us", metadata: ["peer": "\(peer.nodeID)", "name": "\(peer.displayName)"])
                events.publish(NodeEvent(type: .friendRemoved, peer: peer.nodeID, name: peer.displayName))
                await friends.removalDelivered(peer.nodeID)
                await manager.forgetFriend(peer.nodeID)
                // No longer a friend: sync with it ends unless a group still shares feeds.
                await sync.policyChanged()
            }
            return .keep
        }
        return await pairing.handle(parsed, from: peer)
    }
}

extension NodeDelegate {
    /// Asks `relay` — met now, or newly known to relay — to keep the blobs of our mail that
    /// its readers have not had (HOLD, Protocol.md §8.5): a relay met after a message was
    /// sent keeps its photo as well as its entries. Costs the undelivered mail, not the history.
    private func askToHold(_ relay: NodeID) async {
        guard await settings.values.friendsRelayMine else { return }
        for reader in await friends.all where reader.nodeID != relay {
            guard await mutual.relays(relay, for: reader.nodeID) else { continue }
            let pending = await messages.undeliveredAttachments(to: reader.nodeID)
            for hold in HoldMessage.asking(for: reader.nodeID, pending) { await manager.send(hold.bytes, to: relay) }
        }
    }

    /// HOLD from `author` (Protocol.md §8.5): blobs of its mail for a reader, kept here
    /// under the same rules as the mail — this node relays, both are friends, and the reader
    /// said the author is its friend. Anything else, or a malformed one, is ignored.
    private func hold(_ bytes: [UInt8], from author: NodeID) async {
        guard let message = try? HoldMessage(bytes: bytes), message.reader != author,
            await settings.values.relayForFriends, await friends.isFriend(author),
            await friends.isFriend(message.reader), await mutual.says(message.reader, hasFriend: author)
        else {
            logger.debug("ignoring a HOLD", metadata: ["peer": "\(author)"])
            return
        }
        let feed = Feed(
            author: author.publicKey, kind: .direct, audience: message.reader.publicKey.rawRepresentation)
        await attachments.hold(message.blobs, of: feed)
    }
}

/// Sync writes through the connection manager, knowing it only as a transport.
extension ConnectionManager: SyncTransport {}
