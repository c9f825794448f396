import Foundation
import Testing
import WeMeetTestSupport

/// `wemeet node` and `wemeet status` as a person uses them: two real processes, two homes.
@Suite("wemeet node / status", .timeLimit(.minutes(2)))
struct NodeCommandTests {
    /// A `wemeet node` child process whose log lines can be awaited.
    final class NodeProcess: @unchecked Sendable {
        // @unchecked: the process and its pipe are used only by the one test that owns this.
        let process = Process()
        private let errors = Pipe()
        private var buffered = ""

        init(_ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: try wemeetExecutable())
            process.arguments = ["node", "--no-mdns"] + arguments
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        /// Reads the log until a line contains `text`; returns that line.
        func awaitLine(containing text: String) throws -> String {
            while true {
                if let line = buffered.split(separator: "\n").first(where: { $0.contains(text) }) {
                    buffered = ""
                    return String(line)
                }
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { throw CocoaError(.fileReadUnknown) }
                buffered += String(decoding: chunk, as: UTF8.self)
            }
        }

        func terminate() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test func statusShowsTheStaticPeerConnected() throws {
        let a = try TemporaryDirectory()
        let b = try TemporaryDirectory()
        defer {
            a.remove()
            b.remove()
        }
        _ = try wemeet("init", "--name", "Alice", "--home", a.path)
        _ = try wemeet("init", "--name", "Bob", "--home", b.path)
        let aliceID = try wemeet("id", "--home", a.path).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let noNode = try wemeet("status", "--home", b.path)
        #expect(noNode.status != 0)
        #expect(noNode.stderr.contains("no node is running"))
        #expect(noNode.stderr.contains("wemeet node --home"))
        #expect(noNode.stderr.split(separator: "\n").count == 1)

        let alice = try NodeProcess(["--home", a.path, "--listen", "127.0.0.1:0"])
        defer { alice.terminate() }
        let running = try alice.awaitLine(containing: "node running")
        let port = try #require(
            running.split(separator: " ").first { $0.hasPrefix("listen=") }?.split(separator: ":").last)
        let bob = try NodeProcess(["--home", b.path, "--listen", "127.0.0.1:0", "--peer", "127.0.0.1:\(port)"])
        defer { bob.terminate() }
        _ = try bob.awaitLine(containing: "peer connected")

        let status = try wemeet("status", "--home", b.path, "--json")
        #expect(status.status == 0, "\(status.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let peers = try #require(json["peers"] as? [[String: Any]])
        #expect(peers.map { $0["nodeID"] as? String } == [aliceID])
        #expect(peers.first?["name"] as? String == "Alice")
        let text = try wemeet("status", "--home", b.path)
        #expect(text.stdout.contains("Alice  \(aliceID)"))

        // The control API with curl, as API.md documents it.
        let socket = b.path + "/control.sock"
        #expect(try curl(socket, "/v1/status").contains("\"nodeID\":\""))
        #expect(try curl(socket, "/v1/nowhere").contains("\"status\":404"))
        #expect(try curl(socket, "/v1/peers", post: "{not json").contains("\"status\":400"))
        #expect(try curl(socket, "/v1/peers", post: "{\"address\":\"no-port\"}").contains("expected HOST:PORT"))
        let mode = try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // kill -9 Alice and start her again on the same port: Bob reconnects by himself.
        kill(alice.process.processIdentifier, SIGKILL)
        alice.process.waitUntilExit()
        _ = try bob.awaitLine(containing: "peer disconnected")
        let again = try NodeProcess(["--home", a.path, "--listen", "127.0.0.1:\(port)"])
        defer { again.terminate() }
        _ = try bob.awaitLine(containing: "peer connected")
        let after = try wemeet("status", "--home", b.path, "--json")
        let peersAfter = try #require(
            (try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])?["peers"]
                as? [[String: Any]])
        #expect(peersAfter.map { $0["nodeID"] as? String } == [aliceID])
    }

    func curl(_ socket: String, _ path: String, post body: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["curl", "-s", "--unix-socket", socket, "http://wemeet\(path)"]
            + (body.map { ["-X", "POST", "-H", "Content-Type: application/json", "-d", $0] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
