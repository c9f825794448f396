import Synchronization
import WeMeetSync

/// An arrival clock a test moves by hand (the recall window, Protocol.md §9.2), so tests
/// advance time instead of waiting.
package final class ManualArrivalClock: Sendable {
    private let offset = Mutex<Duration>(.zero)
    private let origin = ContinuousClock.now

    package init() {}

    /// Moves this clock forward.
    package func advance(by duration: Duration) { offset.withLock { $0 += duration } }

    /// The clock to give a node.
    package var clock: ArrivalClock {
        ArrivalClock { [self] in self.origin + self.offset.withLock { $0 } }
    }
}
