import Foundation
import WeMeetProcess

/// Prints what `report` says if the test is still running after `limit`: a test that hangs
/// until its suite's time limit then leaves, in the log, the state it was stuck in (the
/// tails of its nodes' logs, say) rather than only "Time limit was exceeded". It asserts
/// nothing; cancel it (``Task/cancel()``) when the test ends.
package func watchdog(after limit: Duration, _ report: @escaping @Sendable () async -> String) -> Task<Void, Never> {
    Task {
        guard (try? await Task.sleep(for: limit)) != nil else { return }
        print("watchdog: still running after \(limit):\n\(await report())")
    }
}

extension ChildProcess {
    /// The last `count` lines the process logged, indented, under its label.
    package func tail(_ count: Int = 30) -> String {
        "\(label):\n    " + log.suffix(count).joined(separator: "\n    ")
    }
}
