import Foundation

/// Runs blocking work (a child process such as curl, `wemeet` or a browser script) on a
/// thread of its own. A node under test runs in this process, on the concurrency pool (two
/// threads on two cores): two blocking waits on the pool starved the node they waited on,
/// and the run hung with no CPU.
package func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
