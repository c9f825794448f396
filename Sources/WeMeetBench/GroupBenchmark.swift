import Foundation
import WeMeetControl
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetSync

/// Issue "groups": a private group of 20 members, each a node in this process on loopback
/// (fellow members dial their overlay links, §10.9): the time for a post to reach
/// every other member, and the bytes sent per post per member.
///
/// Issue "stress" (stage `scale`): the same with 50 members, all friends of one hub (the
/// creator) and of nobody else, adding resident memory per node (the process's growth over
/// the nodes' start-up, divided by their number) and connections per node.
enum GroupBenchmark {
    static func run(
        ceilings: Ceilings, scale: Double, members: Int = 20, stage: String = "groups"
    ) async throws
        -> [Figure]
    {
        let residentBefore = StoreBenchmark.residentMegabytes()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wemeet-bench-group-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let network = InMemoryNetwork()
        var nodes: [BenchNode] = []
        for i in 0..<members {
            nodes.append(try await BenchNode.start(home: root + "/m\(i)", name: "M\(i)", network: network))
        }
        // Stopped before returning (so the next stage has the cores), or at once on failure.
        defer { for node in nodes { Task { await node.stop() } } }
        let creator = nodes[0].node
        try await RadarBenchmark.waitUntil("the nodes see each other", timeout: .seconds(60)) {
            await creator.radar().nearby.count == members - 1
        }
        FileHandle.standardError.write(Data("bench: \(stage): pairing the creator with \(members - 1) nodes\n".utf8))
        for node in nodes.dropFirst() { try await MessageBenchmark.pressTogether(creator, node.node) }
        let group = try await creator.createGroup(name: "Bench", isPublic: false)
        for node in nodes.dropFirst() { try await creator.invite(node.node.identity.name, to: group.id) }
        for node in nodes.dropFirst() {
            try await RadarBenchmark.waitUntil("the invitation arrived", timeout: .seconds(60)) {
                (try? await node.node.groups().first.map { $0.role == .invited && $0.readable }) == true
            }
            _ = try await node.node.joinGroup(group.id)
        }
        for node in nodes {
            try await RadarBenchmark.waitUntil("every member knows every member", timeout: .seconds(120)) {
                (try? await node.node.groups().first.map { $0.members == members && $0.readable }) == true
            }
        }
        // Fellow members dial their overlay links (a full mesh up to 9 members, Protocol.md
        // §10.9); measure once they have (or after a while).
        try? await RadarBenchmark.waitUntil("the overlay formed", timeout: .seconds(30)) {
            for node in nodes where await node.node.status().peers.count < min(members - 1, 6) { return false }
            return true
        }
        var links = 0
        var mostLinks = 0
        for node in nodes {
            let count = await node.node.status().peers.count
            links += count
            mostLinks = max(mostLinks, count)
        }
        let residentPerNode = (StoreBenchmark.residentMegabytes() - residentBefore) / Double(members)

        // Posts from rotating authors, one at a time.
        let arrivals = Arrivals()
        let followers = nodes.enumerated().map { index, node in
            let events = node.node.events.subscribe()
            return Task {
                for await event in events where event.type == .groupPost {
                    if let text = event.detail { await arrivals.record(text, by: index) }
                }
            }
        }
        defer { for follower in followers { follower.cancel() } }
        var bytesBefore = 0
        for node in nodes { bytesBefore += await node.node.status().bytesSent }
        let posts = max(10, Int(100 * scale))
        var toAll: [Double] = []
        var toEach: [Double] = []
        let text = String(repeating: "p", count: 100)
        for i in 0..<posts {
            let label = "\(i) " + text
            let start = ContinuousClock.now
            _ = try await nodes[i % members].node.post(label, to: group.id)
            let times = try await arrivals.wait(for: label, count: members - 1, timeout: .seconds(30))
            toEach += times.map { ($0 - start).seconds * 1000 }
            toAll.append(((times.max() ?? start) - start).seconds * 1000)
        }
        var bytesAfter = 0
        for node in nodes { bytesAfter += await node.node.status().bytesSent }
        let perPostPerMember = Double(bytesAfter - bytesBefore) / Double(posts * (members - 1))
        var figures = [
            Figure(
                name: "\(stage): post → all \(members - 1) other members, p50 (\(links / 2) channels)",
                value: RadarBenchmark.median(toAll), unit: "ms", lowerIsBetter: true),
            Figure(
                name: "\(stage): post → all other members, p99", value: RadarBenchmark.percentile(toAll, 0.99),
                unit: "ms", lowerIsBetter: true),
            Figure(
                name: "\(stage): post → one member, p50", value: RadarBenchmark.median(toEach), unit: "ms",
                lowerIsBetter: true),
            Figure(
                name: "\(stage): bytes sent per post per member (100-byte post)", value: perPostPerMember, unit: "B",
                lowerIsBetter: true),
        ]
        for node in nodes { await node.stop() }
        if stage == "scale" {
            figures += [
                Figure(
                    name: "scale: resident memory per node (\(members) nodes in one process)", value: residentPerNode,
                    unit: "MB", lowerIsBetter: true),
                Figure(
                    name: "scale: connections per node, mean (most: \(mostLinks))",
                    value: Double(links) / Double(members), unit: "connections", lowerIsBetter: true),
            ]
        }
        return figures
    }
}

/// When each member saw each post.
actor Arrivals {
    private var seen: [String: [Int: ContinuousClock.Instant]] = [:]
    private var waiters: [String: (count: Int, continuation: CheckedContinuation<Void, Never>)] = [:]

    func record(_ label: String, by member: Int) {
        guard seen[label]?[member] == nil else { return }
        seen[label, default: [:]][member] = .now
        if let waiter = waiters[label], seen[label]!.count >= waiter.count {
            waiters[label] = nil
            waiter.continuation.resume()
        }
    }

    func wait(for label: String, count: Int, timeout: Duration) async throws -> [ContinuousClock.Instant] {
        if (seen[label]?.count ?? 0) < count {
            let timer = Task {
                try await Task.sleep(for: timeout)
                self.expire(label)
            }
            await withCheckedContinuation { waiters[label] = (count, $0) }
            timer.cancel()
        }
        guard let times = seen[label], times.count >= count else {
            throw BenchmarkError("a post reached \(seen[label]?.count ?? 0) of \(count) members within \(timeout)")
        }
        return Array(times.values)
    }

    /// The members (by index) that did not see `label`, of `0..<count`.
    func missing(_ label: String, of count: Int) -> [Int] {
        (0..<count).filter { seen[label]?[$0] == nil }
    }

    private func expire(_ label: String) {
        waiters.removeValue(forKey: label)?.continuation.resume()
    }
}
