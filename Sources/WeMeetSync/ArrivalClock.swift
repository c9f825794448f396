/// This node's own monotonic clock for how long ago something arrived here or was written
/// here: the recall window (Protocol.md §9.2) is measured on it, never on a peer's timestamp.
/// An input, so tests move time instead of waiting.
public struct ArrivalClock: Sendable {
    private let read: @Sendable () -> ContinuousClock.Instant

    /// A clock that reads `read`.
    public init(_ read: @escaping @Sendable () -> ContinuousClock.Instant) { self.read = read }

    /// The machine's monotonic clock.
    public static let system = ArrivalClock { ContinuousClock.now }

    /// The time now, by this clock.
    public func now() -> ContinuousClock.Instant { read() }
}
