/// The answer to `POST /v1/radar/watch`: for how many seconds the node now checks that the
/// strangers on its radar are still there (Protocol.md §5.4); 0 when it has no radar.
public struct RadarWatch: Codable, Sendable, Equatable {
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }
}
