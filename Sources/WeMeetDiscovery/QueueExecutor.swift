import Dispatch

/// A serial executor backed by a `DispatchQueue`, so an actor can own C callbacks that
/// Dispatch delivers on that queue (``DNSSDDiscovery`` uses it for `DNSServiceRef`s).
///
/// Code running in a block on ``queue`` may use `actor.assumeIsolated`: ``checkIsolated()``
/// accepts any caller that is on the queue.
package final class QueueExecutor: SerialExecutor {
    package let queue: DispatchQueue

    package init(label: String) {
        queue = DispatchQueue(label: label)
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    package func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    package func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
