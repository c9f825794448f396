import Foundation
import Testing

/// The result of one `wemeet` invocation.
struct CLIResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The built `wemeet` executable, which sits beside the test bundle.
func wemeetExecutable() throws -> String {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [bundleDirectory, bundleDirectory.deletingLastPathComponent()].map {
        $0.appendingPathComponent("wemeet").path
    }
    return try #require(
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
        "wemeet executable not found beside the test bundle: \(candidates)")
}

/// Runs the built `wemeet` executable with `arguments`.
func wemeet(_ arguments: String..., environment: [String: String] = [:]) throws -> CLIResult {
    try wemeet(arguments, environment: environment)
}

/// Runs the built `wemeet` executable with `arguments`.
func wemeet(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIResult {
    let executable = try wemeetExecutable()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["WEMEET_HOME"] = nil
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}
