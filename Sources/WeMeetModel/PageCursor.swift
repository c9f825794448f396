/// Where a page of a list starts going back: lists that scroll back through history
/// (conversations, group posts, moments, discover, the feed) answer with `earlier`, and the
/// next request passes it as `?before=` (API.md, "Paging"). Opaque to clients: it is a
/// position in the node's log, written as decimal digits; any value is safe to send.
public struct PageCursor: Codable, Sendable, Hashable, CustomStringConvertible {
    public var offset: UInt64

    public init(offset: UInt64) {
        self.offset = offset
    }

    /// Reads a cursor as the API writes it; nil when `text` is not one.
    public init?(_ text: String) {
        guard !text.isEmpty, text.count <= 20, text.allSatisfy(\.isASCII), let offset = UInt64(text) else {
            return nil
        }
        self.offset = offset
    }

    public var description: String { String(offset) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let cursor = PageCursor(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a cursor"))
        }
        self = cursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
