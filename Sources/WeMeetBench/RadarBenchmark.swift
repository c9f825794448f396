import Foundation
import WeMeetNode

/// The radar on a 2-host simulated LAN (`scripts/lan`, real avahi-daemons): how long after
/// `wemeet node` starts on one host it is listed on the other, how long after a clean stop
/// it is gone, and how long pairing takes from the second press. Needs root (network
/// namespaces); skipped otherwise.
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
                readyContinuation.finish()
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
        let pairing = try await pair(
            runs: runs, observer: client, subject: ControlClient(home: NodeHome(path: "\(home)/Subject")),
            subjectID: subjectID,
            start: {
                try spawn(["scripts/lan", "exec", "h2", wemeet, "node", "--home", "\(home)/Subject"], lan: lan)
            })
        return [
            Figure(
                name: "radar: start → listed on another host, median (\(runs) starts)", value: median(appear),
                unit: "s", target: 1.5, lowerIsBetter: true),
            Figure(name: "radar: start → listed, p90", value: percentile(appear, 0.9), unit: "s"),
            Figure(
                name: "radar: clean stop → gone, median", value: median(disappear), unit: "s", target: 1.0,
                lowerIsBetter: true),
            Figure(name: "radar: clean stop → gone, p90", value: percentile(disappear, 0.9), unit: "s"),
        ] + pairing
    }

    /// From the second press to both sides reporting *paired* (the two nodes re-pair each run).
    static func pair(
        runs: Int, observer: ControlClient, subject: ControlClient, subjectID: String,
        start: () throws -> Process
    ) async throws -> [Figure] {
        struct Press: Encodable {
            var window: Double
            var interactive: Bool
        }
        let node = try start()
        defer {
            node.terminate()
            node.waitUntilExit()
        }
        // Wait until each lists the other.
        while (try? await observer.get("/v1/radar", as: RadarSnapshot.self))?.nearby.contains(where: {
            $0.nodeID == subjectID
        }) != true {
            try await Task.sleep(for: .milliseconds(20))
        }
        while (try? await subject.get("/v1/radar", as: RadarSnapshot.self))?.nearby.isEmpty != false {
            try await Task.sleep(for: .milliseconds(20))
        }
        var times: [Double] = []
        for _ in 0..<runs {
            let (paired, sink) = AsyncStream<ContinuousClock.Instant>.makeStream()
            var followers: [Task<Void, Never>] = []
            for client in [observer, subject] {
                let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
                followers.append(
                    Task {
                        try? await client.followEvents(subscribed: { readyContinuation.finish() }) { event in
                            if event.type == "pair.paired" || event.type == "pair.ended" {
                                sink.yield(event.type == "pair.paired" ? .now : .now + .seconds(1000))
                                return false
                            }
                            return true
                        }
                        readyContinuation.finish()
                    })
                for await _ in ready {}
            }
            let _: PairingStatus = try await observer.post("/v1/pair", json: Press(window: 10, interactive: false))
            let second = ContinuousClock.now
            let _: PairingStatus = try await subject.post("/v1/pair", json: Press(window: 10, interactive: false))
            var last = second
            var count = 0
            for await instant in paired {
                last = max(last, instant)
                count += 1
                if count == 2 { break }
            }
            for follower in followers { follower.cancel() }
            guard last - second < .seconds(100) else { throw BenchmarkError("a benchmark press did not pair") }
            times.append((last - second).seconds)
        }
        return [
            Figure(
                name: "pairing: second press → both paired, median (\(runs) runs)", value: median(times), unit: "s",
                target: 1.0, lowerIsBetter: true),
            Figure(name: "pairing: second press → both paired, p90", value: percentile(times, 0.9), unit: "s"),
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
