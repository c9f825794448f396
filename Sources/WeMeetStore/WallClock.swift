import Foundation

/// The time a node writes into its entries (Protocol.md §7.1, `timestamp_ms`): a claim for
/// people to read, never authority for the protocol. Every node takes one, so a test gives
/// each node its own clock — ten years ahead, a week behind — without faking the process's.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that reads `read`.
    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    /// The machine's clock.
    public static let system = WallClock { Date() }

    /// The machine's clock moved by `offset` seconds (negative: behind).
    public static func skewed(by offset: TimeInterval) -> WallClock {
        WallClock { Date().addingTimeInterval(offset) }
    }

    /// The time now, by this clock.
    public func now() -> Date { read() }

    /// Milliseconds since 1970 by this clock, as entries carry them (0 before 1970).
    public var milliseconds: UInt64 {
        let value = read().timeIntervalSince1970 * 1000
        return value.isFinite && value > 0 ? UInt64(min(value, Double(UInt64.max / 2))) : 0
    }
}
