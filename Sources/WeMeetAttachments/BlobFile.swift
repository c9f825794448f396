#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One file under `HOME/blobs`, read and written at offsets (sealed chunks back to back).
/// A value owning a descriptor: ``close()`` it when done.
package struct BlobFile: Sendable {
    package let path: String
    private let fd: Int32

    /// Opens (creating with mode 0600 when `create`) the file at `path`.
    package init(path: String, create: Bool) throws(AttachmentError) {
        self.path = path
        let flags = create ? (O_RDWR | O_CREAT) : O_RDONLY
        let fd = open(path, flags | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.error("cannot open", path) }
        self.fd = fd
    }

    package func close() { _ = Glibc.close(fd) }

    /// Reads `count` bytes at `offset` (fewer at the end of the file).
    package func read(at offset: UInt64, count: Int) throws(AttachmentError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error("cannot read", path)
            }
            if n == 0 { break }
            done += n
        }
        return done == count ? out : Array(out[..<done])
    }

    /// Writes `bytes` at `offset`; a full disk is ``AttachmentError/Code/diskFull``.
    package func write(_ bytes: [UInt8], at offset: UInt64) throws(AttachmentError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes {
                pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error("cannot write", path)
            }
            done += n
        }
    }

    /// Makes what was written durable.
    package func sync() throws(AttachmentError) {
        guard fsync(fd) == 0 else { throw Self.error("cannot sync", path) }
    }

    /// The file's length.
    package func length() -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return 0 }
        return UInt64(info.st_size)
    }

    /// Cuts the file to `length` bytes (space a full disk could not take back).
    package func truncate(to length: UInt64) { _ = ftruncate(fd, off_t(length)) }

    private static func error(_ what: String, _ path: String) -> AttachmentError {
        let code = errno
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return AttachmentError(
                code: .diskFull, message: "the disk is full (\(reason)): \(path); the fetch resumes when space is freed"
            )
        }
        return AttachmentError(code: .io, message: "\(what) \(path): \(reason)")
    }
}
