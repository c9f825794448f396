import Foundation
import Logging
import WeMeetControl
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetSync

/// Issue "direct messages and sync": two friends' nodes in this process on loopback —
/// sustained DM throughput (durable on both sides), send → received latency at a moderate
/// rate, and the catch-up of a cold peer.
enum MessageBenchmark {
    static func run(ceilings: Ceilings, scale: Double) async throws -> [Figure] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wemeet-bench-dm-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let network = InMemoryNetwork()
        let alice = try await BenchNode.start(home: root + "/alice", name: "Alice", network: network)
        var bob = try await BenchNode.start(home: root + "/bob", name: "Bob", network: network)
        try await pair(alice.node, bob.node)

        // Throughput: 64 senders, until Bob holds every message durably.
        let count = max(2000, Int(20_000 * scale))
        let text = String(repeating: "x", count: 100)
        let baseline = try await received(by: bob.node)
        let started = ContinuousClock.now
        try await send(count, text: text, from: alice.node, to: "Bob")
        try await waitUntil(bob.node, received: baseline + count)
        let throughput = Double(count) / (ContinuousClock.now - started).seconds

        // Latency: one message at a time, about 100 per second.
        var latencies: [Double] = []
        let events = bob.node.events.subscribe()
        var iterator = events.makeAsyncIterator()
        for i in 0..<max(100, Int(1000 * scale)) {
            let label = "latency \(i)"
            let sentAt = ContinuousClock.now
            _ = try await alice.node.sendMessage(to: "Bob", text: label)
            while let event = await iterator.next() {
                if event.type == .dmReceived, event.detail == label { break }
            }
            latencies.append((ContinuousClock.now - sentAt).seconds * 1000)
            try await Task.sleep(for: .milliseconds(10))
        }

        // Catch-up: Bob is away while Alice writes; then Bob starts cold and catches up.
        let backlog = max(10_000, Int(100_000 * scale))
        await bob.stop()
        FileHandle.standardError.write(Data("bench: messages: writing a backlog of \(backlog)\n".utf8))
        let writing = ContinuousClock.now
        try await send(backlog, text: text, from: alice.node, to: "Bob")
        let offlineRate = Double(backlog) / (ContinuousClock.now - writing).seconds
        let cold = ContinuousClock.now
        bob = try await BenchNode.start(home: root + "/bob", name: "Bob", network: network)
        try await waitUntil(bob.node, received: backlog)
        let catchUp = (ContinuousClock.now - cold).seconds
        await alice.stop()
        await bob.stop()
        let slowerCeiling = min(ceilings.signPerSecond, ceilings.verifyPerSecond)
        return [
            Figure(
                name: "messages: sustained DM throughput (100 B, durable both sides)", value: throughput,
                unit: "msgs/s", ceiling: slowerCeiling, target: 5000 / slowerCeiling),
            Figure(
                name: "messages: sending alone (friend offline; sealed, signed, durable)", value: offlineRate,
                unit: "msgs/s", ceiling: ceilings.signPerSecond),
            Figure(
                name: "messages: send → received, p50 (~100/s)", value: RadarBenchmark.median(latencies), unit: "ms",
                target: 2, lowerIsBetter: true),
            Figure(
                name: "messages: send → received, p99", value: RadarBenchmark.percentile(latencies, 0.99), unit: "ms",
                target: 10, lowerIsBetter: true),
            Figure(
                name: "messages: catch-up of \(backlog) entries by a cold peer", value: catchUp, unit: "s",
                target: 15 * Double(backlog) / 100_000, lowerIsBetter: true),
            Figure(
                name: "messages: catch-up rate", value: Double(backlog) / catchUp, unit: "entries/s",
                ceiling: ceilings.verifyPerSecond, target: nil),
        ]
    }

    /// Sends `count` messages with 64 concurrent senders.
    static func send(_ count: Int, text: String, from node: Node, to friend: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<64 {
                group.addTask {
                    for _ in stride(from: worker, to: count, by: 64) {
                        _ = try await node.sendMessage(to: friend, text: text)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Entries `node` has received from its one friend on the current channel.
    static func received(by node: Node) async throws -> Int {
        await node.status().sync.first?.entriesReceived ?? 0
    }

    static func waitUntil(_ node: Node, received target: Int) async throws {
        try await RadarBenchmark.waitUntil("\(target) entries arrived", timeout: .seconds(300)) {
            (try? await received(by: node)) ?? 0 >= target
        }
    }

    static func pair(_ a: Node, _ b: Node) async throws {
        for node in [a, b] {
            try await RadarBenchmark.waitUntil("the nodes see each other", timeout: .seconds(30)) {
                await node.radar().nearby.count == 1
            }
        }
        try await pressTogether(a, b)
        try await RadarBenchmark.waitUntil("sync is up", timeout: .seconds(30)) {
            let (x, y) = (await a.status().sync.count, await b.status().sync.count)
            return x == 1 && y == 1
        }
    }

    /// Pairs `a` and `b`, pressing again together when a press does not take, as people do
    /// (at most three times): the benchmarks that need friends are not about pairing, which
    /// has its own tests and figures.
    static func pressTogether(_ a: Node, _ b: Node) async throws {
        for _ in 0..<3 {
            async let first = press(a, target: b.identity.nodeID.description)
            async let second = press(b, target: a.identity.nodeID.description)
            let (x, y) = try await (first, second)
            if x && y { return }
        }
        throw BenchmarkError("the benchmark nodes did not pair in three presses")
    }

    static func press(_ node: Node, target: String) async throws -> Bool {
        let events = node.events.subscribe()
        _ = try await node.pair(window: .seconds(5), interactive: false, target: target)
        for await event in events where event.type == .pairPaired || event.type == .pairEnded {
            return event.type == .pairPaired
        }
        return false
    }
}

/// A node of the benchmark, running in this process.
struct BenchNode {
    let node: Node
    let task: Task<Void, any Error>

    static func start(
        home: String, name: String, network: InMemoryNetwork, pairingSettle: Duration? = nil
    ) async throws -> BenchNode {
        let nodeHome = NodeHome(path: home)
        if (try? NodeIdentity.load(from: nodeHome)) == nil { _ = try NodeIdentity.create(in: nodeHome, name: name) }
        var configuration = NodeConfiguration()
        configuration.listen = PeerAddress(host: "127.0.0.1", port: 0)
        configuration.discovery = InMemoryDiscovery(network: network)
        configuration.controlAPI = false
        configuration.radarProbeInterval = .milliseconds(200)
        configuration.backoffStart = .milliseconds(20)
        configuration.backoffCap = .milliseconds(200)
        if let pairingSettle { configuration.pairingSettle = pairingSettle }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let node = try Node(home: nodeHome, configuration: configuration, logger: logger)
        let task = Task { try await node.runServingControlAPI() }
        _ = try await node.listeningAddress()
        return BenchNode(node: node, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
