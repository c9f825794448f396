import Foundation
import WeMeetCrypto
import WeMeetStore

/// Issue "store": durable appends, verified ingest, start-up time and memory.
enum StoreBenchmark {
    static func run(ceilings: Ceilings, scale: Double) async throws -> [Figure] {
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let appends = try await appendRate(count: Int(40_000 * scale))
        let ingest = try await ingestRate(count: Int(40_000 * scale))
        let startup = try await startup(entries: Int(1_000_000 * scale))
        return [
            Figure(
                name: "store: durable append, signed 200 B entries (64 writers)", value: appends, unit: "entries/s",
                ceiling: ceilings.signPerSecond, target: 0.6),
            Figure(
                name: "store: ingest with full verification (\(Int(cores)) cores)", value: ingest, unit: "entries/s",
                ceiling: ceilings.verifyPerSecond * cores, target: 0.8),
            Figure(
                name: "store: start-up with \(startup.entries) entries", value: startup.seconds, unit: "s",
                target: 2, lowerIsBetter: true),
            Figure(
                name: "store: resident memory after start-up (\(startup.entries) entries)", value: startup.megabytes,
                unit: "MB", target: 250, lowerIsBetter: true),
        ]
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "/wemeet-bench-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// 64 concurrent writers (conversations), each append awaited until durable.
    static func appendRate(count: Int) async throws -> Double {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(directory: dir)
        let key = Ed25519.PrivateKey()
        let payload = Random.bytes(count: 200)
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<64 {
                let feed = Feed(
                    author: key.publicKey, kind: .group, audience: [UInt8](repeating: UInt8(writer), count: 32))
                group.addTask {
                    for _ in 0..<(count / 64) {
                        try await store.append(to: feed, contentType: 1, payload: payload, key: key)
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(count / 64 * 64) / (clock.now - start).seconds
    }

    /// Entries of 8 foreign feeds, ingested in batches by one task per feed.
    static func ingestRate(count: Int) async throws -> Double {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(directory: dir)
        let chains = (0..<8).map { _ in makeChain(count: count / 8) }
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chain in chains {
                group.addTask {
                    // As sync delivers them: batches of up to 256 entries of one feed.
                    for start in stride(from: 0, to: chain.count, by: 256) {
                        let outcomes = await store.ingest(batch: Array(chain[start..<min(chain.count, start + 256)]))
                        for outcome in outcomes { _ = try outcome.get() }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(count / 8 * 8) / (clock.now - start).seconds
    }

    static func makeChain(count: Int) -> [[UInt8]] {
        let key = Ed25519.PrivateKey()
        let feed = Feed(author: key.publicKey, kind: .moments)
        var previous = EntryID.zero
        return (1...max(count, 1)).map { seq in
            let entry = try! Entry(
                feed: feed, seq: UInt64(seq), previous: previous, timestamp: UInt64(seq), contentType: 1,
                payload: Random.bytes(count: 200), signedBy: key)
            previous = entry.id
            return entry.encoded
        }
    }

    /// Builds a store of `entries` entries (in 1000 feeds), then opens it in a fresh child
    /// process (`wemeet-bench --open-store DIR`) that reports its time and peak memory.
    static func startup(entries: Int) async throws -> (entries: Int, seconds: Double, megabytes: Double) {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try Store(directory: dir)
            let key = Ed25519.PrivateKey()
            let payload = Random.bytes(count: 200)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<64 {
                    group.addTask {
                        for index in 0..<(entries / 64) {
                            let feed = Feed(
                                author: key.publicKey, kind: .group,
                                audience: [UInt8](repeating: UInt8(writer), count: 31) + [UInt8(index % 16)])
                            try await store.append(to: feed, contentType: 1, payload: payload, key: key)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--open-store", dir]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parts = output.split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (entries / 64 * 64, parts.first ?? .nan, parts.count > 1 ? parts[1] : .nan)
    }

    /// This process's resident memory now (VmRSS), in MB.
    static func residentMegabytes() -> Double { statusMegabytes("VmRSS:") }

    /// A memory line of /proc/self/status (given in kB), in MB.
    private static func statusMegabytes(_ field: String) -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let kilobytes =
            status.split(separator: "\n").first { $0.hasPrefix(field) }?
            .split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? .nan
        return kilobytes / 1024
    }

    /// The child side of ``startup(entries:)``: prints "SECONDS PEAK_RSS_MB".
    static func openStore(_ dir: String) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let store = try Store(directory: dir)
        let seconds = (clock.now - start).seconds
        withExtendedLifetime(store) {}
        print(seconds, statusMegabytes("VmHWM:"))
    }
}
