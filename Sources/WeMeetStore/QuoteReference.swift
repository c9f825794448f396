/// An entry another entry quotes (Protocol.md §9.2 for direct messages, §10.2 for groups):
/// its author's node ID, its seq in the feed the quote names by context, and its entry ID,
/// which a reader checks against its own store before it shows anything.
/// JSON `{"author":NODE-ID,"id":HEX64,"seq":N}`.
package struct QuoteReference: Codable, Equatable, Sendable {
    package var author: String
    package var id: String
    package var seq: UInt64

    package init(author: String, id: String, seq: UInt64) {
        self.author = author
        self.id = id
        self.seq = seq
    }
}
