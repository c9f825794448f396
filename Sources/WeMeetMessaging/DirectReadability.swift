import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// Whether a friend's direct message decrypts for this node (Protocol.md §9.2), decided before
/// it is stored, so the tight quota for what this node cannot read (§8.4) applies. Keeps one
/// cipher per author (an X25519 agreement each).
package actor DirectReadability {
    private let key: Ed25519.PrivateKey
    private var ciphers: [FeedID: DirectCipher] = [:]

    package init(key: Ed25519.PrivateKey) { self.key = key }

    /// Whether `entry`, of a DM feed written to this node, opens with the pair's key.
    package func canOpen(_ entry: Entry) -> Bool {
        guard entry.contentType == DirectMessages.contentType else { return false }
        let cipher: DirectCipher
        if let known = ciphers[entry.feedID] {
            cipher = known
        } else {
            guard let made = try? DirectCipher(own: key, other: entry.feed.author, outgoing: false) else {
                return false
            }
            if ciphers.count > 4_096 { ciphers.removeAll() }
            ciphers[entry.feedID] = made
            cipher = made
        }
        return (try? cipher.open(entry.payload)) != nil
    }
}
