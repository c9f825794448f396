import Foundation
import WeMeetControl
import WeMeetDiscovery
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// Issue "crowds" (stage `crowd`): private groups of 100, 300 and 500 members, each a node in
/// this process on loopback, spread over the group overlay (Protocol.md §10.9) rather than a
/// full mesh. The creator pairs with each member only to invite it and unpairs once it has
/// joined, so no hub of friends carries the group: every post travels the overlay.
///
/// For each size: post → all p50/p99 (target p99 ≤ 2 s at 500), bytes sent per post per member
/// against the sealed entry (target ≤ 2 × entry + 100 B), group channels per node (target
/// ≤ 12), resident memory per node, and the time for every member to hold every post after
/// a tenth of them stop and restart mid-run (posts made while they are away).
enum CrowdBenchmark {
    static func run(sizes: [Int], scale: Double) async throws -> [Figure] {
        var figures: [Figure] = []
        for size in sizes { figures += try await run(members: size, scale: scale) }
        return figures
    }

    static func run(members: Int, scale: Double) async throws -> [Figure] {
        let stage = "crowd \(members)"
        let started = ContinuousClock.now
        let residentBefore = StoreBenchmark.residentMegabytes()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wemeet-bench-crowd-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let network = InMemoryNetwork()
        var nodes: [BenchNode] = []
        for i in 0..<members {
            nodes.append(
                try await BenchNode.start(home: root + "/m\(i)", name: "M\(i)", network: network, pairingSettle: .zero))
        }
        defer { for node in nodes { Task { await node.stop() } } }
        let creator = nodes[0].node
        try await RadarBenchmark.waitUntil("the nodes see each other", timeout: .seconds(120)) {
            await creator.radar().nearby.count == members - 1
        }
        let group = try await creator.createGroup(name: "Crowd", isPublic: false)
        // In batches, so the creator's friends' channels stay well under its 256.
        let batch = 50
        for first in stride(from: 1, to: members, by: batch) {
            let invitees = nodes[first..<min(members, first + batch)]
            progress("\(stage): pairing, inviting and joining members \(first)–\(first + invitees.count - 1)")
            for node in invitees {
                try await MessageBenchmark.pressTogether(creator, node.node)
                _ = try await creator.invite(node.node.identity.nodeID.description, to: group.id)
            }
            for node in invitees {
                do {
                    try await RadarBenchmark.waitUntil("the invitation arrived", timeout: .seconds(120)) {
                        (try? await node.node.groups().first.map { $0.role == .invited && $0.readable }) == true
                    }
                } catch {
                    let status = await node.node.status()
                    let summary = try? await node.node.groups().first
                    progress(
                        "\(node.node.identity.name): role \(summary.map { "\($0.role)" } ?? "none"), readable "
                            + "\(summary?.readable ?? false); peers \(status.peers.map(\.name)), sync "
                            + "\(status.sync.map { "\($0.name) in \($0.feedsReceived) out \($0.feedsSent) rem \($0.remaining)" })"
                    )
                    throw error
                }
                _ = try await node.node.joinGroup(group.id)
            }
            for node in invitees {
                try await RadarBenchmark.waitUntil("the creator knows the member joined", timeout: .seconds(120)) {
                    (try? await creator.group(group.id).1.contains {
                        $0.nodeID == node.node.identity.nodeID && $0.role == .member
                    }) == true
                }
                _ = try await creator.unpair(node.node.identity.nodeID.description)
            }
        }
        progress("\(stage): waiting until every member knows every member")
        for (index, node) in nodes.enumerated() {
            do {
                try await RadarBenchmark.waitUntil("every member knows every member", timeout: .seconds(60)) {
                    (try? await node.node.groups().first.map { $0.members == members && $0.readable }) == true
                }
            } catch {
                let status = await node.node.status()
                let summary = try? await node.node.groups().first
                progress(
                    "M\(index) knows \(summary?.members ?? -1) members (readable \(summary?.readable ?? false)); "
                        + "peers \(status.peers.map(\.name)), sync "
                        + "\(status.sync.map { "\($0.name) in \($0.feedsReceived) out \($0.feedsSent) rem \($0.remaining)" })"
                )
                throw error
            }
        }
        let setup = (ContinuousClock.now - started).seconds
        // The overlay settles: each node holds its links (and briefly a few more).
        try? await RadarBenchmark.waitUntil("the overlay settled", timeout: .seconds(30)) {
            for node in nodes where await node.node.groupChannels() > GroupOverlay.maximumLinks { return false }
            return true
        }
        var channels: [Int] = []
        for node in nodes { channels.append(await node.node.groupChannels()) }
        let residentPerNode = (StoreBenchmark.residentMegabytes() - residentBefore) / Double(members)

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
        let posts = max(10, Int(40 * scale))
        var toAll: [Double] = []
        let text = String(repeating: "p", count: 100)
        progress("\(stage): \(posts) posts from rotating authors")
        for i in 0..<posts {
            let label = "\(i) " + text
            let start = ContinuousClock.now
            _ = try await nodes[(i * 7) % members].node.post(label, to: group.id)
            let times: [ContinuousClock.Instant]
            do {
                times = try await arrivals.wait(for: label, count: members - 1, timeout: .seconds(60))
            } catch {
                for index in await arrivals.missing(label, of: members) where index != (i * 7) % members {
                    let status = await nodes[index].node.status()
                    let held =
                        (try? await nodes[index].node.posts(in: group.id).map(\.text).filter { $0 == label }.count)
                        ?? -1
                    progress(
                        "M\(index) missed it (holds it: \(held)): peers \(status.peers.map(\.name)), sync "
                            + "\(status.sync.map { "\($0.name) in \($0.feedsReceived) out \($0.feedsSent) rem \($0.remaining)" })"
                    )
                }
                throw error
            }
            toAll.append(((times.max() ?? start) - start).seconds * 1000)
        }
        var bytesAfter = 0
        for node in nodes { bytesAfter += await node.node.status().bytesSent }
        let perPostPerMember = Double(bytesAfter - bytesBefore) / Double(posts * (members - 1))
        guard let groupID = GroupID(hex: group.id) else { throw BenchmarkError("no group ID in \(group.id)") }
        let sealed = try await lastEntryBytes(of: nodes[((posts - 1) * 7) % members].node, in: groupID)
        let target = 2 * Double(sealed) + 100

        // A tenth stop and come back while posts go on; then every member must hold every post.
        progress("\(stage): a tenth of the members stop and restart mid-run")
        let crashing = Array(stride(from: 3, to: members, by: 10))
        for index in crashing { await nodes[index].stop() }
        let during = 5
        for i in 0..<during {
            let author = (i * 7 + 1) % members
            _ = try await nodes[crashing.contains(author) ? author + 1 : author].node.post(
                "during \(i)", to: group.id)
        }
        for index in crashing {
            await StoreLock.waitUntilFree(directory: NodeHome(path: root + "/m\(index)").storePath)
            nodes[index] = try await BenchNode.start(
                home: root + "/m\(index)", name: "M\(index)", network: network, pairingSettle: .zero)
        }
        let crashedAt = ContinuousClock.now
        for node in nodes {
            try await RadarBenchmark.waitUntil("every member holds every post", timeout: .seconds(120)) {
                (try? await node.node.posts(in: group.id).count) ?? 0 >= posts + during
            }
        }
        let converged = (ContinuousClock.now - crashedAt).seconds
        for node in nodes { await node.stop() }
        progress("\(stage): done in \(Int((ContinuousClock.now - started).seconds)) s")
        return [
            Figure(
                name: "\(stage): post → all \(members - 1) others, p50 (setup \(Int(setup)) s)",
                value: RadarBenchmark.median(toAll), unit: "ms", lowerIsBetter: true),
            Figure(
                name: "\(stage): post → all others, p99", value: RadarBenchmark.percentile(toAll, 0.99), unit: "ms",
                target: 2000, lowerIsBetter: true),
            Figure(
                name: "\(stage): bytes per post per member (entry \(sealed) B; target 2× + 100)",
                value: perPostPerMember, unit: "B", target: target, lowerIsBetter: true),
            Figure(
                name: "\(stage): group channels per node, most (mean \(String(format: "%.1f", mean(channels))))",
                value: Double(channels.max() ?? 0), unit: "channels", target: 12, lowerIsBetter: true),
            Figure(
                name: "\(stage): resident memory per node", value: residentPerNode, unit: "MB", lowerIsBetter: true),
            Figure(
                name: "\(stage): all hold every post after \(crashing.count) stopped and restarted",
                value: converged * 1000, unit: "ms", lowerIsBetter: true),
        ]
    }

    /// The size of `node`'s last entry in its feed of `group` (a sealed post).
    private static func lastEntryBytes(of node: Node, in group: GroupID) async throws -> Int {
        let running = try await node.running()
        let feed = Feed(author: node.identity.nodeID.publicKey, kind: .group, audience: group.rawValue)
        let head = await running.store.head(of: feed.id)
        return try await running.store.entries(of: feed.id, seqs: head...head).first?.encoded.count ?? 0
    }

    private static func mean(_ values: [Int]) -> Double {
        values.isEmpty ? 0 : Double(values.reduce(0, +)) / Double(values.count)
    }

    private static func progress(_ text: String) {
        FileHandle.standardError.write(Data("bench: \(text)\n".utf8))
    }
}
