import Foundation
import WeMeetCrypto
import WeMeetModel
import WeMeetStore

/// Likes and comments on moments (Protocol.md §10.8), as this node holds them: each is an
/// entry in its writer's own moments feed, so it reaches exactly the writer's friends — the
/// people who are friends of both the moment's author and the writer see it, as in WeChat.
package struct MomentReactions: Sendable {
    /// The payload of a reaction (content type ``contentType``): one of the three forms.
    package struct Record: Codable, Sendable {
        package var like: String?
        package var unlike: String?
        package var comment: String?
        package var text: String?

        package init(like: String? = nil, unlike: String? = nil, comment: String? = nil, text: String? = nil) {
            self.like = like
            self.unlike = unlike
            self.comment = comment
            self.text = text
        }
    }

    /// Content type of a reaction entry, in the writer's moments feed (kind 4).
    package static let contentType: UInt16 = 0x0402
    /// The longest comment, in UTF-8 bytes.
    package static let maximumCommentBytes = 2_048

    /// Per moment (its entry ID): who likes it now, in the order they first liked it.
    private var likes: [String: [NodeID]] = [:]
    /// Per moment: its comments, in the order this node stored them.
    private var comments: [String: [(author: NodeID, text: String)]] = [:]

    package init() {}

    /// Applies one reaction entry; anything that is not a well-formed reaction is ignored.
    package mutating func apply(_ entry: Entry) {
        guard entry.contentType == Self.contentType, entry.feed.kind == .moments,
            let record = try? JSONDecoder().decode(Record.self, from: Data(entry.payload))
        else { return }
        let author = NodeID(publicKey: entry.feed.author)
        func isID(_ text: String) -> Bool { text.count == 64 && text.allSatisfy(\.isHexDigit) }
        if let moment = record.like?.lowercased(), isID(moment) {
            if !(likes[moment]?.contains(author) ?? false) { likes[moment, default: []].append(author) }
        } else if let moment = record.unlike?.lowercased(), isID(moment) {
            likes[moment]?.removeAll { $0 == author }
        } else if let moment = record.comment?.lowercased(), isID(moment), let text = record.text, !text.isEmpty,
            text.utf8.count <= Self.maximumCommentBytes
        {
            comments[moment, default: []].append((author, text))
        }
    }

    /// Who likes `moment`.
    package func likes(of moment: String) -> [NodeID] { likes[moment] ?? [] }
    /// The comments on `moment`.
    package func comments(on moment: String) -> [(author: NodeID, text: String)] { comments[moment] ?? [] }
}
