import Foundation
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetStore

/// Remarks, mute and pin, per chat, kept as records in the node's own control feed (never
/// served, Protocol.md §6.5 `0x0105`): one record per change, the latest per chat wins, so
/// a change costs one small entry however many chats there are.
package actor ChatPreferences {
    /// The control-feed content type of a chat-preference record.
    package static let contentType: UInt16 = 0x0105

    private let store: Store
    private let key: Ed25519.PrivateKey
    private let feed: Feed
    private var preferences: [String: ChatPreference] = [:]

    package init(store: Store, key: Ed25519.PrivateKey) async throws {
        self.store = store
        self.key = key
        feed = Feed(author: key.publicKey, kind: .control)
        let head = await store.head(of: feed.id)
        guard head > 0 else { return }
        for entry in try await store.entries(of: feed.id, seqs: 1...head) where entry.contentType == Self.contentType {
            if let record = try? JSONDecoder().decode(ChatPreference.self, from: Data(entry.payload)) {
                preferences[record.chat] = record
            }
        }
    }

    /// The key of a friend's chat.
    package static func chat(_ friend: NodeID) -> String { friend.description }
    /// The key of a group's chat.
    package static func chat(_ group: GroupID) -> String { "group:\(group)" }

    /// The preference of `chat` (the defaults when none was set).
    package func preference(_ chat: String) -> ChatPreference { preferences[chat] ?? ChatPreference(chat: chat) }

    /// Applies `change` to `chat` and records it; durable when it returns.
    package func change(_ chat: String, _ change: ChatPreferenceChange) async throws(NodeError) -> ChatPreference {
        var preference = self.preference(chat)
        if let remark = change.remark {
            let trimmed = remark.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count <= ChatPreference.remarkLimit else {
                throw NodeError(
                    code: .invalidArgument, message: "a remark is at most \(ChatPreference.remarkLimit) characters")
            }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw NodeError(code: .invalidArgument, message: "a remark cannot hold control characters")
            }
            preference.remark = trimmed.isEmpty ? nil : trimmed
        }
        if let muted = change.muted { preference.muted = muted }
        if let pinned = change.pinned { preference.pinned = pinned }
        guard preference != self.preference(chat) else { return preference }
        do {
            _ = try await store.append(
                to: feed, contentType: Self.contentType, payload: GroupRecord.encode(preference), key: key)
        } catch {
            throw NodeError(code: .io, message: "cannot record the chat's preference: \(error)")
        }
        preferences[chat] = preference
        return preference
    }
}
