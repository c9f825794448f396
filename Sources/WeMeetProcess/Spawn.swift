import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Child processes for tests without Foundation's `Process`: `posix_spawn` and `waitpid`.
///
/// Foundation's `Process` on Linux learns that a child exited when a socket the child
/// inherited reaches end-of-file, and its pipes are inherited by every child spawned at the
/// same moment, so with many tests spawning children in parallel one long-lived child can
/// keep another test waiting forever. Here output goes to files or close-on-exec pipes, and
/// exit is `waitpid` on the child's own PID.
public enum Spawn {
    /// The result of a finished command.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments` to completion, collecting its output; `input`, if
    /// given, is its standard input (else /dev/null).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil
    ) throws -> Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.path + "/stdout"
        let err = directory.path + "/stderr"
        let stdin = directory.path + "/stdin"
        if let input { try input.write(toFile: stdin, atomically: true, encoding: .utf8) }
        let pid = try spawn(executable, arguments, environment: environment) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, input == nil ? "/dev/null" : stdin, O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        let status = wait(pid)
        return Result(
            status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Starts a child; `configure` adds its file actions.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        configure: (inout posix_spawn_file_actions_t) -> Void
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        configure(&actions)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        guard rc == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: executable, "errno": rc])
        }
        return pid
    }

    /// Waits for `pid` to exit; its exit status, or 128 + the signal that ended it.
    @discardableResult
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
