import Foundation
import Testing
import WeMeetControl
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The fault run of relaying (Protocol.md §8.5): five hosts on a simulated LAN, each running
/// a real `wemeet node`, all five friends. Ann and Ben are never up at the same time, nor are
/// Dan and Eve; each writes to its partner, so every message must be carried by the others
/// (Cat, or whoever of the other pair is up). A seeded random schedule sends, `kill -9`s and
/// restarts nodes (swapping a pair's shift) and pulls and replugs cables. Healing keeps the
/// pairs apart: the cables go back in, then the writers' shift (Ann, Dan, Cat) until every
/// message is held or delivered, the readers' shift (Ben, Eve, Cat) until each has all its
/// mail, and the writers' again for the other direction. Every acknowledged message must then
/// be there exactly once, in order, at both ends.
///
/// Part of the fault suite: `scripts/faults` runs it with the other seeds
/// (`WEMEET_FAULT_SEEDS`, `WEMEET_FAULT_STEPS`); a failure prints its seed and schedule.
@Suite("Fault injection on relayed mail", .serialized, .timeLimit(.minutes(6)))
struct RelayFaultLANTests {
    static let seeds = WeMeetTestSupport.seeds(from: "WEMEET_FAULT_SEEDS", default: "20261207")
    static let names = ["Ann", "Ben", "Cat", "Dan", "Eve"]
    /// Each node's partner, never up with it; Cat has none.
    static let partner: [Int: Int] = [0: 1, 1: 0, 3: 4, 4: 3]
    static let steps = Int(ProcessInfo.processInfo.environment["WEMEET_FAULT_STEPS"] ?? "") ?? 40
    /// How long each healing shift has to do its part.
    static let shiftLimit = Duration.seconds(60)

    @Test(arguments: seeds) func everyAcknowledgedMessageBetweenPartnersWhoNeverMeetArrivesExactlyOnce(
        seed: UInt64
    ) async throws {
        var random = SplitMix(seed: seed)
        let lan = try SimulatedLAN(hosts: Self.names.count)
        let homes = Self.names.map { lan.homes.path + "/" + $0 }
        try await makeFriends(homes, names: Self.names)
        let hosts = Self.names.indices.map { "h\($0 + 1)" }
        var nodes: [ChildProcess?] = Array(repeating: nil, count: Self.names.count)
        defer { for node in nodes { node?.stop() } }
        var log: [String] = []
        func start(_ i: Int) throws {
            guard nodes[i] == nil else { return }
            if let other = Self.partner[i], let running = nodes[other] {
                running.stop(signal: random.next() % 2 == 0 ? SIGKILL : SIGTERM)
                nodes[other] = nil
                log.append("stop \(Self.names[other])")
            }
            let node = try lan.startNode(on: hosts[i], home: homes[i])
            _ = try node.awaitLine(containing: "listening on socket path")
            nodes[i] = node
            log.append("start \(Self.names[i])")
        }
        func stop(_ i: Int) {
            nodes[i]?.stop()
            nodes[i] = nil
        }
        for i in [0, 2, 3] { try start(i) }

        var unplugged: Set<Int> = []
        var messages: [Conversation: [String]] = [:]
        for step in 0..<Self.steps {
            let roll = Int(random.next() % 100)
            let running = Self.names.indices.filter { nodes[$0] != nil }
            let stopped = Self.names.indices.filter { nodes[$0] == nil }
            let writers = running.filter { Self.partner[$0] != nil }
            if roll < 45, let sender = writers.randomElement(using: &random), let reader = Self.partner[sender] {
                let text = "\(Self.names[sender])→\(Self.names[reader]) step \(step)"
                let result = try wemeet("send", Self.names[reader], text, "--home", homes[sender])
                if result.status == 0 { messages[Conversation(from: sender, to: reader), default: []].append(text) }
                log.append("\(step) send \(text): \(result.status)")
            } else if roll < 60, running.count > 1, let victim = running.randomElement(using: &random) {
                nodes[victim]?.stop(signal: SIGKILL)
                nodes[victim] = nil
                log.append("\(step) kill -9 \(Self.names[victim])")
            } else if roll < 85, let down = stopped.randomElement(using: &random) {
                log.append("\(step) shift:")
                try start(down)
            } else {
                let host = Int(random.next() % UInt64(Self.names.count))
                let plug = unplugged.remove(host) != nil
                if !plug { unplugged.insert(host) }
                try lan.run("link", hosts[host], plug ? "up" : "down")
                log.append("\(step) cable of \(hosts[host]) \(plug ? "in" : "out")")
            }
        }

        // Heal, keeping the pairs apart: writers' shift, readers', writers' again.
        for host in unplugged { try lan.run("link", hosts[host], "up") }
        let healed = ContinuousClock.now
        let shifts: [(up: [Int], done: Set<Int>)] = [([0, 2, 3], []), ([1, 2, 4], [1, 4]), ([0, 2, 3], [0, 3])]
        for (number, shift) in shifts.enumerated() {
            for i in Self.names.indices where !shift.up.contains(i) { stop(i) }
            for i in shift.up { try start(i) }
            let began = ContinuousClock.now
            var missing = await Self.pending(messages, homes: homes, up: shift.up, done: shift.done)
            while !missing.isEmpty, ContinuousClock.now < began + Self.shiftLimit {
                await nextEvent(shift.up.map { homes[$0] }, orAfter: .seconds(3))
                missing = await Self.pending(messages, homes: homes, up: shift.up, done: shift.done)
            }
            #expect(
                missing.isEmpty,
                """
                seed \(seed): healing shift \(number + 1) (\(shift.up.map { Self.names[$0] })) not done \
                after \(ContinuousClock.now - began): \(missing.joined(separator: "; "))
                schedule:
                \(log.joined(separator: "\n"))
                """)
            if !missing.isEmpty { return }
        }
        let sent = messages.values.reduce(0) { $0 + $1.count }
        #expect(sent > 0, "seed \(seed) sent no message")
        let faults = log.filter { $0.contains("kill -9") || $0.contains("cable") || $0.contains("stop ") }.count
        print(
            """
            fault suite: seed \(seed): \(sent) relayed messages acknowledged between partners who never met, \
            \(faults) faults; delivered both ways \(ContinuousClock.now - healed) after healing
            """)
    }

    private struct Page: Decodable {
        var messages: [DirectMessage]
    }

    /// What a healing shift has still to do: every message a node that is up wrote to its
    /// (absent) partner is held by a relay or delivered; and each node of `done` has all its
    /// mail, once, in order.
    static func pending(
        _ messages: [Conversation: [String]], homes: [String], up: [Int], done: Set<Int>
    ) async
        -> [String]
    {
        var problems = conversationProblems(messages, names: names, homes: homes, at: done)
        for writer in up {
            guard let reader = partner[writer] else { continue }
            let client = ControlClient(home: NodeHome(path: homes[writer]))
            guard let page = try? await client.get("/v1/messages/\(names[reader])?limit=1000", as: Page.self) else {
                problems.append("\(names[writer]) did not answer")
                continue
            }
            let waiting = page.messages.filter {
                $0.direction == .outgoing && ($0.status ?? .sent) < .delivered && ($0.heldBy ?? []).isEmpty
            }
            if !waiting.isEmpty { problems.append("\(waiting.count) of \(names[writer])'s messages held by nobody") }
        }
        return problems
    }
}
