import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetProcess
import WeMeetSync

/// The result of one `wemeet` invocation.
package struct CLIResult: Sendable {
    package var status: Int32
    package var stdout: String
    package var stderr: String

    package init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// The built `wemeet` executable, which sits beside the test bundle.
package func wemeetExecutable() throws -> String {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [bundleDirectory, bundleDirectory.deletingLastPathComponent()].map {
        $0.appendingPathComponent("wemeet").path
    }
    return try #require(
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
        "wemeet executable not found beside the test bundle: \(candidates)")
}

/// Runs the built `wemeet` executable with `arguments`.
package func wemeet(_ arguments: String..., environment: [String: String] = [:]) throws -> CLIResult {
    try wemeet(arguments, environment: environment)
}

/// Runs the built `wemeet` executable with `arguments`.
package func wemeet(
    _ arguments: [String], environment: [String: String] = [:], input: String? = nil
) throws -> CLIResult {
    var env = ProcessInfo.processInfo.environment
    env["WEMEET_HOME"] = nil
    env.merge(environment) { $1 }
    let result = try Spawn.run(try wemeetExecutable(), arguments, environment: env, input: input)
    return CLIResult(status: result.status, stdout: result.stdout, stderr: result.stderr)
}
