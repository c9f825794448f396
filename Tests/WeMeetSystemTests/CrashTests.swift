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
import WeMeetTestSupport

@testable import WeMeetStore

/// A child process appends and acknowledges entries and is `kill -9`ed at random moments,
/// 50 rounds: after each, every acknowledged entry is present and every chain verifies.
@Suite("store survives kill -9")
struct CrashTests {
    @Test func fiftyRoundsOfKillNine() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try wemeet("init", "--name", "Crash", "--home", dir.path)
        let identity = try NodeIdentity.load(from: NodeHome(path: dir.path))
        var acknowledged: [String: (seq: UInt64, id: String)] = [:]  // lane → latest ack
        var seed: UInt64 = 0x5EED
        for round in 0..<50 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let stopAfter = Int(seed >> 33) % 150 + 1
            let acks = try runAndKill(home: dir.path, afterAcks: stopAfter)
            for ack in acks {
                let parts = ack.split(separator: " ")
                acknowledged[String(parts[1])] = (UInt64(parts[2])!, String(parts[3]))
            }
            let store = try Store(directory: dir.path + "/store")
            for (lane, ack) in acknowledged {
                let feed = Feed(
                    author: identity.privateKey.publicKey, kind: .group,
                    audience: [UInt8](repeating: UInt8(lane)!, count: 32))
                #expect(
                    await store.head(of: feed.id) >= ack.seq,
                    "round \(round) (seed \(seed)): lane \(lane) lost acked entries")
                let entry = try #require(try await store.entries(of: feed.id, seqs: ack.seq...ack.seq).first)
                #expect(entry.id.description == ack.id)
            }
            _ = try await store.verify()
        }
    }

    /// Starts `wemeet store append-test`, reads `count` acks, then sends SIGKILL.
    func runAndKill(home: String, afterAcks count: Int) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try wemeetExecutable())
        process.arguments = ["store", "append-test", "--home", home, "--count", "1000000"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        var lines: [String] = []
        while lines.count < count {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: 0x0a) {
                lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                buffer = buffer[(newline + 1)...]
            }
        }
        kill(process.processIdentifier, SIGKILL)
        // Acks already written before the kill count too.
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        buffer.append(rest)
        for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where line.hasPrefix("ack ") {
            if line.split(separator: " ").count == 4 { lines.append(String(line)) }
        }
        process.waitUntilExit()
        return lines.filter { $0.hasPrefix("ack ") }
    }
}
