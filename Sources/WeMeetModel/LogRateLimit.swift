/// Bounds how often a repeated log line is written (Protocol.md §8.4: a peer sending many
/// refused entries must not fill the log): at most one line per key per ``interval``; the
/// lines held back meanwhile are counted and reported with the next one.
package struct LogRateLimit: Sendable {
    private struct Slot {
        var last: ContinuousClock.Instant
        var held = 0
    }

    /// The shortest time between two lines of one key.
    package let interval: Duration
    private var slots: [String: Slot] = [:]

    package init(interval: Duration = .seconds(10)) { self.interval = interval }

    /// Whether to write the line for `key` now; if so, how many were held back since the last.
    package mutating func admit(_ key: String, now: ContinuousClock.Instant = .now) -> (write: Bool, held: Int) {
        if var slot = slots[key] {
            guard now - slot.last >= interval else {
                slot.held += 1
                slots[key] = slot
                return (false, 0)
            }
            slots[key] = Slot(last: now)
            return (true, slot.held)
        }
        if slots.count >= 1_024 { slots.removeAll() }
        slots[key] = Slot(last: now)
        return (true, 0)
    }
}
