import Foundation
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

/// Durable, private file writes and permission-checked reads for files in a node's home.
package enum SecretFile {
    /// Reads a file that must be a regular file readable only by its owner.
    package static func read(_ path: String) throws(NodeError) -> SecureBytes {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT {
                throw NodeError(
                    code: .identityMissing, message: "no identity key at \(path): run `wemeet init --name NAME` first")
            }
            throw NodeError(code: .io, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw NodeError(code: .invalidIdentity, message: "\(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw NodeError(
                code: .insecurePermissions,
                message:
                    "\(path) has mode \(octal(mode)), other users could read the secret key; run `chmod 600 \(path)`")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            throw NodeError(code: .io, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let size = Int(info.st_size)
        // Never trust a size from disk with an unbounded allocation.
        guard size <= 1 << 20 else {
            throw NodeError(code: .invalidIdentity, message: "\(path) is \(size) bytes: not a WeMeet key file")
        }
        var failure: NodeError?
        let contents = SecureBytes(count: size) { buffer in
            var done = 0
            while done < size {
                let n = Foundation.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    failure = NodeError(code: .io, message: "cannot read \(path): short read")
                    return
                }
                done += n
            }
        }
        if let failure { throw failure }
        return contents
    }

    /// Writes `contents` to `path` with mode 0600, failing if `path` exists.
    package static func writeNew(_ contents: SecureBytes, to path: String) throws(NodeError) {
        let temporary = try writeTemporary(contents, beside: path, mode: 0o600)
        defer { unlink(temporary) }
        guard link(temporary, path) == 0 else {
            let reason = errno == EEXIST ? "it already exists" : String(cString: strerror(errno))
            throw NodeError(code: errno == EEXIST ? .identityExists : .io, message: "cannot create \(path): \(reason)")
        }
        syncDirectory(of: path)
    }

    /// Atomically replaces `path` with `bytes` (temporary file, fsync, rename).
    package static func replace(_ bytes: [UInt8], at path: String, mode: mode_t) throws(NodeError) {
        let temporary = try writeTemporary(SecureBytes(bytes), beside: path, mode: mode)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw NodeError(code: .io, message: "cannot write \(path): \(reason)")
        }
        syncDirectory(of: path)
    }

    private static func writeTemporary(
        _ contents: SecureBytes, beside path: String, mode: mode_t
    ) throws(NodeError)
        -> String
    {
        let temporary = path + ".tmp-\(getpid())-\(Hex.encode(Random.bytes(count: 4)))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw NodeError(code: .io, message: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var ok = fchmod(fd, mode) == 0
        contents.withUnsafeBytes { bytes in
            var done = 0
            while ok && done < bytes.count {
                let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { ok = false } else { done += n }
            }
        }
        if ok { ok = fsync(fd) == 0 }
        guard ok else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw NodeError(code: .io, message: "cannot write \(temporary): \(reason)")
        }
        return temporary
    }

    /// Makes a rename or link in the file's directory durable.
    private static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
