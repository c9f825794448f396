import Foundation
import NIOCore
import Testing
import WeMeetCrypto

@testable import WeMeetChannel

/// The channel against an independent implementation: `Tests/Interop/noise_peer.py`, built
/// on PyPI `noiseprotocol` from Protocol.md §4, both as initiator and as responder, with
/// fragmentation and (every 4 messages) rekeying in both directions.
@Suite("interop with Python noiseprotocol")
struct InteropTests {
    static var configuration: ChannelConfiguration {
        var configuration = ChannelHarness.fast
        configuration.rekeyInterval = 4
        configuration.handshakeTimeout = .seconds(10)
        return configuration
    }

    @Test func pythonInitiatorSwiftResponder() async throws {
        let server = ChannelHarness.credentials("SwiftServer")
        try await ChannelHarness.withListener(credentials: server, configuration: Self.configuration) { port, _ in
            let python = try PythonPeer(arguments: ["connect", "\(port)", "--rekey", "4"])
            let output = try await python.finish()
            #expect(output.contains("PEER \(server.nodeID) SwiftServer"))
            #expect(output.contains("OK"))
        }
    }

    @Test func swiftInitiatorPythonResponder() async throws {
        let python = try PythonPeer(arguments: ["listen", "--rekey", "4"])
        let port = try #require(Int(try python.readLine().dropFirst("PORT ".count)))
        let me = ChannelHarness.credentials("SwiftClient")
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: port, credentials: me, configuration: Self.configuration)
        #expect(channel.peer.displayName == "PyNoise")
        let closed = await #expect(throws: SecureChannelError.self) {
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                let messages =
                    [Array("hello from swift".utf8), Random.bytes(count: 200_000)] + (0..<20).map { [UInt8($0)] }
                for message in messages {
                    try await outbound.send(message)
                    let reply = try #require(try await iterator.next())
                    #expect(Array(buffer: reply) == message.reversed())
                }
                _ = try await iterator.next()
            }
        }
        #expect(closed?.message.contains("python shutting down") == true)
        let output = try await python.finish()
        #expect(output.contains("PEER \(me.nodeID) SwiftClient"))
    }
}

/// `python3 Tests/Interop/noise_peer.py ARGS`, with line-wise access to its stdout.
final class PythonPeer: @unchecked Sendable {
    // @unchecked: `process` and the pipes are only touched by the single test task that owns
    // this object; Process itself is not Sendable.
    private let process = Process()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private var buffered = Data()

    init(arguments: [String]) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interop/noise_peer.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
    }

    /// The next line of output (blocking; the peer prints it at once).
    func readLine() throws -> String {
        while !buffered.contains(0x0a) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffered.append(chunk)
        }
        let end = buffered.firstIndex(of: 0x0a) ?? buffered.endIndex
        let line = String(decoding: buffered[..<end], as: UTF8.self)
        buffered = end < buffered.endIndex ? buffered[(end + 1)...] : Data()
        return line
    }

    /// Waits for exit; returns all output, failing the test with stderr on a non-zero exit.
    func finish() async throws -> String {
        let rest = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "noise_peer.py failed: \(errors)")
        return String(decoding: buffered + rest, as: UTF8.self)
    }
}
