import Foundation

/// A child process whose standard error is collected line by line, so a test can await a
/// log line (with a deadline) instead of sleeping.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `lines` and `consumed` are guarded by `condition`; `process` is only
    // started, signalled and waited for, which Foundation's Process allows from any thread.
    public let process = Process()
    private let condition = NSCondition()
    private var lines: [String] = []
    private var consumed: Set<Int> = []
    private var partial = ""
    private var ended = false
    public let label: String

    /// Starts `executable` with `arguments`; stdout goes to `stdout` (default: discarded).
    public init(label: String, executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        self.label = label
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
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
        try process.run()
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
                let tail = lines.suffix(15).joined(separator: "\n    ")
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

    /// Sends `signal` and waits for the process to exit.
    public func stop(signal: Int32 = SIGTERM) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }
}
