import Foundation

/// What recall (撤回, Protocol.md §9.2 and §10.2) needs to remember, for one feature's entries:
/// when each message or post of the last ``window`` arrived or was written here, by this
/// node's own clock (older ones are forgotten, too late to recall, so the memory does not grow
/// with history), and which entries were recalled, kept in a file across restarts.
package struct RecallLedger: Sendable {
    /// How long after a message a recall of it is honoured, by the reader's own clock.
    package static let window: Duration = .seconds(120)

    private var seen: [String: ContinuousClock.Instant] = [:]
    private var seenOrder: [(at: ContinuousClock.Instant, id: String)] = []
    private var seenStart = 0
    /// The recalled entries, by entry ID.
    package private(set) var recalled: Set<String> = []
    private let path: String?

    /// A ledger kept in `path` (none: in memory only), read from it when it exists.
    package init(path: String?) {
        self.path = path
        if let path, let data = FileManager.default.contents(atPath: path),
            let saved = try? JSONDecoder().decode([String].self, from: data)
        {
            recalled = Set(saved)
        }
    }

    /// Notes that entry `id` arrived or was written at `now`, and forgets those past the window.
    package mutating func noteSeen(_ id: String, at now: ContinuousClock.Instant) {
        seen[id] = now
        seenOrder.append((now, id))
        while seenStart < seenOrder.count, now - seenOrder[seenStart].at > Self.window {
            let old = seenOrder[seenStart]
            if seen[old.id] == old.at { seen[old.id] = nil }
            seenStart += 1
        }
        if seenStart > 1024 && seenStart * 2 > seenOrder.count {
            seenOrder.removeFirst(seenStart)
            seenStart = 0
        }
    }

    /// Whether entry `id` arrived or was written here within the window before `now`.
    package func withinWindow(_ id: String, at now: ContinuousClock.Instant) -> Bool {
        guard let at = seen[id] else { return false }
        return now - at <= Self.window
    }

    /// Whether entry `id` was recalled.
    package func isRecalled(_ id: String) -> Bool { recalled.contains(id) }

    /// Records that entry `id` is recalled (in the file too, when there is one).
    package mutating func keep(_ id: String) {
        recalled.insert(id)
        guard let path else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(recalled.sorted()) {
            try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    }
}
