import Foundation
import WeMeetNode

/// The radar on a 2-host simulated LAN (`scripts/lan`, real avahi-daemons): how long after
/// `wemeet node` starts on one host it is listed on the other, and how long after a clean
/// stop it is gone. Needs root (network namespaces); skipped otherwise.
enum RadarBenchmark {
    static func run(scale: Double) async throws -> [Figure] {
        guard getuid() == 0 else {
            FileHandle.standardError.write(Data("bench: radar skipped (needs root for network namespaces)\n".utf8))
            return []
        }
        let runs = max(3, Int(20 * scale))
        let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let wemeet = binDirectory.appendingPathComponent("wemeet").path
        let lan = "wmbench"
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("wemeet-bench-radar-\(getpid())").path
        defer {
            _ = try? shell(["scripts/lan", "down"], lan: lan)
            try? FileManager.default.removeItem(atPath: home)
        }
        try shell(["scripts/lan", "up", "2"], lan: lan)
        for name in ["Observer", "Subject"] {
            try shell([wemeet, "init", "--name", name, "--home", "\(home)/\(name)"], lan: lan)
        }
        let subjectID = try shell([wemeet, "id", "--home", "\(home)/Subject"], lan: lan)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let observer = try spawn(["scripts/lan", "exec", "h1", wemeet, "node", "--home", "\(home)/Observer"], lan: lan)
        defer {
            observer.terminate()
            observer.waitUntilExit()
        }
        let client = ControlClient(home: NodeHome(path: "\(home)/Observer"))
        while (try? await client.get("/v1/status", as: NodeStatus.self)) == nil {
            try await Task.sleep(for: .milliseconds(20))
        }

        var appear: [Double] = []
        var disappear: [Double] = []
        for _ in 0..<runs {
            let (events, continuation) = AsyncStream<(String, ContinuousClock.Instant)>.makeStream()
            let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
            let follower = Task {
                try? await client.followEvents(subscribed: { readyContinuation.finish() }) { event in
                    if event.peer == subjectID, event.type == "radar.appeared" || event.type == "radar.gone" {
                        continuation.yield((event.type, .now))
                    }
                    return true
                }
                continuation.finish()
            }
            for await _ in ready {}
            var iterator = events.makeAsyncIterator()
            let started = ContinuousClock.now
            let subject = try spawn(
                ["scripts/lan", "exec", "h2", wemeet, "node", "--home", "\(home)/Subject"], lan: lan)
            guard let (type, seen) = await iterator.next(), type == "radar.appeared" else {
                throw BenchmarkError("the observer did not list the subject")
            }
            appear.append((seen - started).seconds)
            let stopped = ContinuousClock.now
            subject.terminate()
            guard let (goneType, gone) = await iterator.next(), goneType == "radar.gone" else {
                throw BenchmarkError("the observer did not drop the subject")
            }
            disappear.append((gone - stopped).seconds)
            subject.waitUntilExit()
            follower.cancel()
        }
        return [
            Figure(
                name: "radar: start → listed on another host, median (\(runs) starts)", value: median(appear),
                unit: "s", target: 1.5, lowerIsBetter: true),
            Figure(name: "radar: start → listed, p90", value: percentile(appear, 0.9), unit: "s"),
            Figure(
                name: "radar: clean stop → gone, median", value: median(disappear), unit: "s", target: 1.0,
                lowerIsBetter: true),
            Figure(name: "radar: clean stop → gone, p90", value: percentile(disappear, 0.9), unit: "s"),
        ]
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    @discardableResult
    static func shell(_ arguments: [String], lan: String) throws -> String {
        let process = try spawn(arguments, lan: lan, output: true)
        let data = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("\(arguments.joined(separator: " ")) failed (\(process.terminationStatus))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func spawn(_ arguments: [String], lan: String, output: Bool = false) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["WEMEET_LAN": lan]) { $1 }
        process.standardOutput = output ? Pipe() : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
