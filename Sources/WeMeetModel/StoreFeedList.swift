/// The answer of `GET /v1/store/feeds`: every feed in the store.
public struct StoreFeedList: Codable, Sendable, Equatable {
    public var feeds: [StoreFeedRow]

    public init(feeds: [StoreFeedRow]) {
        self.feeds = feeds
    }
}
