import Foundation

/// An exclusive `flock` on `DIR/lock`, so two processes never write one store. The lock file
/// holds the owner's PID, for the error message.
package final class StoreLock: Sendable {
    private let fd: Int32

    package init(directory: String) throws(StoreError) {
        let path = directory + "/lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(code: .io, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 32, 0)
            let owner =
                n > 0
                ? String(decoding: buffer.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                : "?"
            close(fd)
            throw StoreError(
                code: .locked,
                message: "the store in \(directory) is in use by another wemeet process (pid \(owner)); stop it first")
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Returns once nobody holds the lock of the store in `directory` (at once when there is
    /// none): a node in this process lets its store go when the last of its tasks ends.
    /// Waits in the kernel, a blocking `flock` on a thread of its own, not by polling.
    package static func waitUntilFree(directory: String) async {
        let path = directory + "/lock"
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                let fd = open(path, O_RDWR | O_CLOEXEC)
                if fd >= 0 {
                    flock(fd, LOCK_EX)
                    flock(fd, LOCK_UN)
                    close(fd)
                }
                continuation.resume()
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
