/// The answer of `GET /v1/store/forks`: forks recorded in the store.
public struct StoreForkList: Codable, Sendable, Equatable {
    public var forks: [StoreForkRow]

    public init(forks: [StoreForkRow]) {
        self.forks = forks
    }
}
