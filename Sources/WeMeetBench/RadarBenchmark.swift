import Foundation
import WeMeetControl
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetProcess
import WeMeetSync

#if canImport(Glibc)
    import Glibc
#endif

/// The radar on a 2-host simulated LAN (`scripts/lan`, real avahi-daemons): how long after
/// `wemeet node` starts on one host it is listed on the other, how long after a clean stop
/// it is gone, and how long pairing takes from the second press. Needs root (network
/// namespaces); skipped otherwise. Every wait has a deadline: a stalled step fails the
/// benchmark with a message instead of hanging it.
enum RadarBenchmark {
    static func run(scale: Double) async throws -> [Figure] {
        guard getuid() == 0 else {
            FileHandle.standardError.write(Data("bench: radar skipped (needs root for network namespaces)\n".utf8))
            return []
        }
        let runs = max(3, Int(20 * scale))
        let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let wemeet = binDirectory.appendingPathComponent("wemeet").path
        let lan = Lan(name: "wmbench")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("wemeet-bench-radar-\(getpid())").path
        defer {
            _ = try? lan.run(["down"])
            try? FileManager.default.removeItem(atPath: home)
        }
        _ = try? lan.run(["down"])  // a previous run that was killed
        try lan.run(["up", "2"])
        for name in ["Observer", "Subject"] {
            try lan.run(["exec", "h1", wemeet, "init", "--name", name, "--home", "\(home)/\(name)"])
        }
        let subjectID = try lan.run(["exec", "h1", wemeet, "id", "--home", "\(home)/Subject"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let observer = try lan.start("h1", [wemeet, "node", "--home", "\(home)/Observer"])
        defer { observer.stop() }
        let client = ControlClient(home: NodeHome(path: "\(home)/Observer"))
        try await waitUntil("the observer node answers", timeout: .seconds(30)) {
            (try? await client.get("/v1/status", as: NodeStatus.self)) != nil
        }
        progress("radar: \(runs) starts and stops")

        var appear: [Double] = []
        var disappear: [Double] = []
        for _ in 0..<runs {
            let (events, continuation) = AsyncStream<(NodeEvent.Kind, ContinuousClock.Instant)>.makeStream()
            let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
            let follower = Task {
                try? await client.followEvents(subscribed: { readyContinuation.finish() }) { event in
                    if event.peer?.description == subjectID, event.type == .radarAppeared || event.type == .radarGone {
                        continuation.yield((event.type, .now))
                    }
                    return true
                }
                readyContinuation.finish()
                continuation.finish()
            }
            let watchdog = Task {
                try await Task.sleep(for: .seconds(30))
                readyContinuation.finish()
                continuation.finish()
            }
            defer {
                follower.cancel()
                watchdog.cancel()
            }
            for await _ in ready {}
            var iterator = events.makeAsyncIterator()
            let started = ContinuousClock.now
            let subject = try lan.start("h2", [wemeet, "node", "--home", "\(home)/Subject"])
            guard let (type, seen) = await iterator.next(), type == .radarAppeared else {
                subject.stop()
                throw BenchmarkError("the observer did not list the subject within 30 s")
            }
            appear.append((seen - started).seconds)
            let stopped = ContinuousClock.now
            kill(subject.pid, SIGTERM)
            guard let (goneType, gone) = await iterator.next(), goneType == .radarGone else {
                subject.stop(signal: SIGKILL)
                throw BenchmarkError("the observer did not drop the subject within 30 s")
            }
            disappear.append((gone - stopped).seconds)
            subject.stop()
        }
        progress("pairing: \(runs) presses")
        let pairing = try await pair(
            runs: runs, observer: client, subject: ControlClient(home: NodeHome(path: "\(home)/Subject")),
            subjectID: subjectID,
            start: { try lan.start("h2", [wemeet, "node", "--home", "\(home)/Subject"]) })
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

    /// From the second press to both sides reporting *paired* (the two nodes unpair and pair again
    /// each run).
    static func pair(
        runs: Int, observer: ControlClient, subject: ControlClient, subjectID: String,
        start: () throws -> ChildProcess
    ) async throws -> [Figure] {
        struct Press: Encodable {
            var window: Double
            var interactive: Bool
        }
        let node = try start()
        defer { node.stop() }
        try await waitUntil("the two nodes list each other", timeout: .seconds(30)) {
            let a = try? await observer.get("/v1/radar", as: RadarSnapshot.self)
            let b = try? await subject.get("/v1/radar", as: RadarSnapshot.self)
            return a?.nearby.contains { $0.nodeID.description == subjectID } == true && b?.nearby.isEmpty == false
        }
        var times: [Double] = []
        for _ in 0..<runs {
            let (paired, sink) = AsyncStream<ContinuousClock.Instant?>.makeStream()
            var followers: [Task<Void, Never>] = []
            defer { for follower in followers { follower.cancel() } }
            for client in [observer, subject] {
                let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
                followers.append(
                    Task {
                        try? await client.followEvents(subscribed: { readyContinuation.finish() }) { event in
                            if event.type == .pairPaired || event.type == .pairEnded {
                                sink.yield(event.type == .pairPaired ? .now : nil)
                                return false
                            }
                            return true
                        }
                        readyContinuation.finish()
                    })
                for await _ in ready {}
            }
            let watchdog = Task {
                try await Task.sleep(for: .seconds(30))
                sink.finish()
            }
            defer { watchdog.cancel() }
            let _: PairingStatus = try await observer.post("/v1/pair", json: Press(window: 10, interactive: false))
            let second = ContinuousClock.now
            let _: PairingStatus = try await subject.post("/v1/pair", json: Press(window: 10, interactive: false))
            var last = second
            var count = 0
            for await instant in paired {
                guard let instant else { throw BenchmarkError("a benchmark press ended without pairing") }
                last = max(last, instant)
                count += 1
                if count == 2 { break }
            }
            guard count == 2 else { throw BenchmarkError("a benchmark press did not pair within 30 s") }
            times.append((last - second).seconds)
            // Friends are never pairing candidates (Protocol.md §6.2): both sides unpair before
            // the next run. The observer's unpair tells the subject, which then drops the
            // observer by itself; its own DELETE may so find nobody left (404), which is fine.
            for client in [observer, subject] {
                let list: FriendList = try await client.get("/v1/friends")
                for friend in list.friends {
                    _ = try? await client.request(.DELETE, "/v1/friends/\(friend.nodeID)")
                }
            }
            try await waitUntil("both sides have no friends", timeout: .seconds(30)) {
                for client in [observer, subject] {
                    let list: FriendList? = try? await client.get("/v1/friends")
                    guard let list, list.friends.isEmpty else { return false }
                }
                return true
            }
        }
        return [
            Figure(
                name: "pairing: second press → both paired, median (\(runs) runs)", value: median(times), unit: "s",
                target: 1.0, lowerIsBetter: true),
            Figure(name: "pairing: second press → both paired, p90", value: percentile(times, 0.9), unit: "s"),
        ]
    }

    /// Polls `condition` every 20 ms until it holds; throws after `timeout`.
    static func waitUntil(
        _ what: String, timeout: Duration, _ condition: () async -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw BenchmarkError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func progress(_ message: String) {
        FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}

/// A simulated LAN driven through `scripts/lan` (children via `posix_spawn`, see ``Spawn``).
struct Lan: Sendable {
    var name: String

    private var environment: [String: String] {
        ProcessInfo.processInfo.environment.merging(["WEMEET_LAN": name]) { $1 }
    }

    /// Runs `scripts/lan ARGUMENTS` to completion; its standard output.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let result = try Spawn.run("scripts/lan", arguments, environment: environment)
        guard result.status == 0 else {
            throw BenchmarkError(
                "scripts/lan \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// Starts `command` on `host`.
    func start(_ host: String, _ command: [String]) throws -> ChildProcess {
        try ChildProcess(
            label: host, executable: "scripts/lan", arguments: ["exec", host] + command,
            environment: ["WEMEET_LAN": name])
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
