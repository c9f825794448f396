import Foundation
import Synchronization

/// An exclusive `flock` on `DIR/lock`, so two processes never write one store. The lock file
/// holds the owner's PID, for the error message.
package final class StoreLock: Sendable {
    private let fd: Int32
    private let held = Mutex(true)

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

    /// Lets the lock go (once; later calls do nothing): the store's directory may be opened again.
    package func release() {
        let wasHeld = held.withLock { held in
            defer { held = false }
            return held
        }
        guard wasHeld else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }

    deinit { release() }
}
