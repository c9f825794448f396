import Foundation

/// A child process whose standard error is collected line by line, so a test can await a
/// log line (with a deadline) instead of sleeping.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `lines`, `consumed`, `partial`, `ended`, `exited` and `input` are guarded
    // by `condition`; `pid` and `label` never change.
    public let pid: pid_t
    private let condition = NSCondition()
    private var lines: [String] = []
    private var consumed: Set<Int> = []
    private var partial = ""
    private var ended = false
    private var exited = false
    /// The write end of the child's standard input, when the caller keeps it open (-1: none).
    private var input: Int32 = -1
    private let reader: FileHandle
    public let label: String

    /// Starts `executable` with `arguments` (stdin and stdout: /dev/null; stderr collected).
    /// `standardOutputToo`: stdout is collected with stderr. `keepingInputOpen`: stdin is a
    /// pipe this object holds open (``write(_:)``, ``closeInput()``), so a program that reads
    /// until end of input keeps running.
    public init(
        label: String, executable: String, arguments: [String], environment: [String: String] = [:],
        standardOutputToo: Bool = false, keepingInputOpen: Bool = false
    ) throws {
        self.label = label
        var inputFDs: [Int32] = [-1, -1]
        if keepingInputOpen {
            guard pipe(&inputFDs) == 0 else { throw CocoaError(.fileWriteUnknown) }
            _ = fcntl(inputFDs[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(inputFDs[1], F_SETFD, FD_CLOEXEC)
        }
        let inputRead = inputFDs[0]
        var fds: [Int32] = [0, 0]
        // Close-on-exec at once (Glibc's module does not export pipe2), so children spawned by
        // other tests do not inherit this pipe.
        guard pipe(&fds) == 0 else { throw CocoaError(.fileWriteUnknown) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let writeEnd = fds[1]
        do {
            pid = try Spawn.spawn(executable, arguments, environment: env) { actions in
                if inputRead >= 0 {
                    posix_spawn_file_actions_adddup2(&actions, inputRead, 0)
                } else {
                    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                }
                if standardOutputToo {
                    posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
                } else {
                    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                }
                posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
            }
        } catch {
            close(fds[0])
            close(fds[1])
            if keepingInputOpen {
                close(inputFDs[0])
                close(inputFDs[1])
            }
            throw error
        }
        close(fds[1])
        if keepingInputOpen {
            close(inputFDs[0])
            input = inputFDs[1]
        }
        reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        reader.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.condition.lock()
            defer {
                self.condition.broadcast()
                self.condition.unlock()
            }
            if data.isEmpty {
                self.ended = true
                handle.readabilityHandler = nil
                return
            }
            self.partial += String(decoding: data, as: UTF8.self)
            while let newline = self.partial.firstIndex(of: "\n") {
                self.lines.append(String(self.partial[..<newline]))
                self.partial.removeSubrange(...newline)
            }
        }
    }

    /// An error with the process's recent log, for a failed wait.
    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    /// Waits (up to `timeout`) for a log line not returned before that satisfies `matches`;
    /// returns it. Lines that do not match stay available to later waits.
    @discardableResult
    public func awaitLine(
        timeout: Duration = .seconds(30), _ what: String = "", where matches: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
        condition.lock()
        defer { condition.unlock() }
        while true {
            for (index, line) in lines.enumerated() where !consumed.contains(index) && matches(line) {
                consumed.insert(index)
                return line
            }
            if ended || !condition.wait(until: deadline) {
                let tail = lines.suffix(60).joined(separator: "\n    ")
                throw Timeout(
                    description:
                        "\(label): \(ended ? "exited" : "no log line within \(timeout)") while waiting for \(what)\n    \(tail)"
                )
            }
        }
    }

    /// Waits for a log line containing every one of `parts`.
    @discardableResult
    public func awaitLine(containing parts: String..., timeout: Duration = .seconds(30)) throws -> String {
        try awaitLine(timeout: timeout, parts.joined(separator: " + ")) { line in parts.allSatisfy(line.contains) }
    }

    /// Every line so far.
    public var log: [String] {
        condition.lock()
        defer { condition.unlock() }
        return lines
    }

    /// Writes `text` to the child's standard input (``init`` with `keepingInputOpen`).
    public func write(_ text: String) {
        condition.lock()
        let fd = input
        condition.unlock()
        guard fd >= 0 else { return }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Closes the child's standard input: it reads end of input.
    public func closeInput() {
        condition.lock()
        let fd = input
        input = -1
        condition.unlock()
        if fd >= 0 { close(fd) }
    }

    /// Sends `signal` and waits for the process to exit (once; later calls do nothing).
    public func stop(signal: Int32 = SIGTERM) {
        closeInput()
        condition.lock()
        let already = exited
        exited = true
        condition.unlock()
        guard !already else { return }
        kill(pid, signal)
        Spawn.wait(pid)
    }
}
