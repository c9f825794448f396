import WeMeetCrypto
import WeMeetStore

/// References found in entries — written here or arrived and opened — announced by
/// messaging and groups for ``Attachments`` to catalogue (one way: no feature holds it).
package struct AttachmentFinds: Sendable {
    /// One entry's references.
    package struct Found: Sendable {
        package var references: [AttachmentReference]
        /// The entry's feed: whoever this node would serve it to may fetch the blobs.
        package var feed: Feed
        package var entry: String

        package init(references: [AttachmentReference], feed: Feed, entry: String) {
            self.references = references
            self.feed = feed
            self.entry = entry
        }
    }

    package let found: AsyncStream<Found>
    private let continuation: AsyncStream<Found>.Continuation

    package init() {
        (found, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    package func announce(_ found: Found) {
        guard !found.references.isEmpty else { return }
        continuation.yield(found)
    }

    package func finish() { continuation.finish() }
}
