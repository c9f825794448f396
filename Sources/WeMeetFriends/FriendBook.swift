import Foundation
import Logging
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// The node's friends and blocked nodes, kept as entries in its own control feed
/// (Protocol.md §6.5) and replayed from the store at start-up.
package actor FriendBook {
    /// Control-feed content types.
    package enum ContentType {
        package static let friendAdded: UInt16 = 0x0101
        package static let friendRemoved: UInt16 = 0x0102
        package static let blocked: UInt16 = 0x0103
    }

    private struct Record: Codable {
        var id: String
        var name: String?
        var code: String?
    }

    private let store: Store
    private let key: Ed25519.PrivateKey
    private let feed: Feed
    private var friends: [NodeID: Friend] = [:]
    private var removed: Set<NodeID> = []
    private var blocked: Set<NodeID> = []
    /// When each friend's name last changed here (this run): at most one change an hour.
    private var lastRename: [NodeID: ContinuousClock.Instant] = [:]
    /// The least time between two name changes of one friend.
    package static let renameInterval = Duration.seconds(3600)

    package init(store: Store, key: Ed25519.PrivateKey) async throws {
        self.store = store
        self.key = key
        feed = Feed(author: key.publicKey, kind: .control)
        let head = await store.head(of: feed.id)
        guard head > 0 else { return }
        for entry in try await store.entries(of: feed.id, seqs: 1...head) {
            guard let record = try? JSONDecoder().decode(Record.self, from: Data(entry.payload)),
                let nodeID = try? NodeID(record.id)
            else { continue }
            apply(entry.contentType, nodeID, record, at: Date(timeIntervalSince1970: Double(entry.timestamp) / 1000))
        }
    }

    private func apply(_ type: UInt16, _ nodeID: NodeID, _ record: Record, at date: Date) {
        switch type {
        case ContentType.friendAdded:
            friends[nodeID] = Friend(
                nodeID: nodeID, name: record.name ?? "", code: record.code ?? "", pairedAt: date)
            removed.remove(nodeID)
        case ContentType.friendRemoved:
            if friends.removeValue(forKey: nodeID) != nil { removed.insert(nodeID) }
        case ContentType.blocked:
            if friends.removeValue(forKey: nodeID) != nil { removed.insert(nodeID) }
            blocked.insert(nodeID)
        default:
            break
        }
    }

    private func record(_ type: UInt16, _ nodeID: NodeID, _ record: Record) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let entry = try await store.append(
            to: feed, contentType: type, payload: Array(try encoder.encode(record)), key: key)
        apply(type, nodeID, record, at: Date(timeIntervalSince1970: Double(entry.timestamp) / 1000))
    }

    package var all: [Friend] { friends.values.sorted { ($0.name, $0.nodeID) < ($1.name, $1.nodeID) } }

    package func friend(_ nodeID: NodeID) -> Friend? { friends[nodeID] }
    package func isFriend(_ nodeID: NodeID) -> Bool { friends[nodeID] != nil }
    package func isBlocked(_ nodeID: NodeID) -> Bool { blocked.contains(nodeID) }
    package var blockedNodes: Set<NodeID> { blocked }
    /// Whether `nodeID` was a friend and was removed (it is told so when it next connects).
    package func wasRemoved(_ nodeID: NodeID) -> Bool { removed.contains(nodeID) }

    /// Records a pairing (again: refreshes the name and code). Durable when it returns.
    @discardableResult
    package func add(_ nodeID: NodeID, name: String, code: String) async throws -> Friend {
        try await record(ContentType.friendAdded, nodeID, Record(id: nodeID.description, name: name, code: code))
        return friends[nodeID]!
    }

    /// A friend connected naming itself `name`: when that differs from the name kept, and the
    /// last change was ``renameInterval`` ago or more, keeps the new name (a friend record
    /// with the same code) and returns the friend; otherwise nil. Names are labels (§6.5):
    /// the code and the node ID stay the friend's identity.
    package func renamed(
        _ nodeID: NodeID, to name: String, now: ContinuousClock.Instant
    ) async -> Friend? {
        guard let friend = friends[nodeID], friend.name != name, !name.isEmpty else { return nil }
        if let last = lastRename[nodeID], now - last < Self.renameInterval { return nil }
        lastRename[nodeID] = now
        do {
            try await record(
                ContentType.friendAdded, nodeID, Record(id: nodeID.description, name: name, code: friend.code))
        } catch {
            return nil
        }
        return friends[nodeID]
    }

    /// Removes a friend; false when it was not one.
    package func remove(_ nodeID: NodeID) async throws -> Bool {
        guard friends[nodeID] != nil else { return false }
        try await record(ContentType.friendRemoved, nodeID, Record(id: nodeID.description))
        return true
    }

    /// Blocks a node (and unfriends it).
    package func block(_ nodeID: NodeID) async throws {
        guard !blocked.contains(nodeID) else { return }
        try await record(ContentType.blocked, nodeID, Record(id: nodeID.description))
    }

    /// Forgets that `nodeID` must be told about its removal (it was told).
    package func removalDelivered(_ nodeID: NodeID) { removed.remove(nodeID) }
}
