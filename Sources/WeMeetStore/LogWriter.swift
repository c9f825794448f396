import Dispatch

/// Runs the log's blocking writes and `fsync`s on one serial queue, off the cooperative
/// thread pool, so the store's actor stays free to gather the next batch meanwhile.
package final class LogWriter: @unchecked Sendable {
    // @unchecked: `log` is touched only on `queue` (a serial queue), except in `init`, which
    // runs before the writer is shared.
    private let log: LogFile
    private let queue = DispatchQueue(label: "wemeet.store.writer")

    package init(log: LogFile) {
        self.log = log
    }

    /// Writes `bytes` at `offset` and makes them durable; one call is one group commit.
    package func write(_ bytes: [UInt8], at offset: UInt64) async throws(StoreError) {
        let result: Result<Void, StoreError> = await withCheckedContinuation { continuation in
            queue.async {
                do {
                    try self.log.write(bytes, at: offset)
                    try self.log.sync()
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error as! StoreError))
                }
            }
        }
        try result.get()
    }
}
