import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Three real `wemeet node` processes, all friends, on loopback; every link goes through a
/// ``TCPTap`` that can be cut. A seeded random schedule sends messages with `wemeet send`,
/// `kill -9`s and restarts nodes and cuts and restores links; at the end every acknowledged
/// message is present exactly once, in order, at both ends of its conversation.
///
/// `WEMEET_SEEDS=1,2,3` runs other seeds; a failure names its seed.
@Suite("Random schedule: sends, kill -9, restarts, link cuts", .serialized, .timeLimit(.minutes(5)))
struct RandomScheduleTests {
    static let seeds = WeMeetTestSupport.seeds(from: "WEMEET_SEEDS", default: "20261122")
    static let names = ["Ann", "Ben", "Cat"]
    static let steps = Int(ProcessInfo.processInfo.environment["WEMEET_STEPS"] ?? "") ?? 40

    @Test(arguments: seeds) func everyAcknowledgedMessageArrivesExactlyOnceInOrder(seed: UInt64) async throws {
        var random = SplitMix(seed: seed)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let homes = Self.names.map { directory.path + "/" + $0 }
        try await makeFriends(homes, names: Self.names)

        let ports = try (0..<3).map { _ in try Self.freePort() }
        var taps: [Link: TCPTap] = [:]
        for link in Link.all { taps[link] = try TCPTap(forwardingTo: ports[link.b]) }
        defer { for tap in taps.values { tap.stop() } }
        func start(_ i: Int) throws -> ChildProcess {
            var arguments = ["node", "--home", homes[i], "--listen", "127.0.0.1:\(ports[i])", "--no-mdns"]
            for link in Link.all where link.a == i { arguments += ["--peer", "127.0.0.1:\(taps[link]!.port)"] }
            let node = try ChildProcess(
                label: Self.names[i], executable: try wemeetExecutable(), arguments: arguments,
                environment: ["AVAHI_COMPAT_NOWARN": "1"])
            _ = try node.awaitLine(containing: "node running")
            return node
        }
        var nodes: [ChildProcess?] = try (0..<3).map { try start($0) }
        defer { for node in nodes { node?.stop() } }
        var cut: Set<Link> = []
        var acknowledged: [Conversation: [String]] = [:]
        var log: [String] = []

        for step in 0..<Self.steps {
            let roll = Int(random.next() % 100)
            let running = (0..<3).filter { nodes[$0] != nil }
            if roll < 65, let sender = running.randomElement(using: &random) {
                let recipient = (sender + 1 + Int(random.next() % 2)) % 3
                let text = "\(Self.names[sender])→\(Self.names[recipient]) step \(step)"
                let result = try wemeet("send", Self.names[recipient], text, "--home", homes[sender])
                if result.status == 0 {
                    acknowledged[Conversation(from: sender, to: recipient), default: []].append(text)
                }
                log.append("send \(text): \(result.status)")
            } else if roll < 77, running.count > 1, let victim = running.randomElement(using: &random) {
                nodes[victim]?.stop(signal: SIGKILL)
                nodes[victim] = nil
                log.append("kill -9 \(Self.names[victim])")
            } else if roll < 87, let down = (0..<3).filter({ nodes[$0] == nil }).randomElement(using: &random) {
                nodes[down] = try start(down)
                log.append("restart \(Self.names[down])")
            } else if roll < 96, let link = Link.all.randomElement(using: &random) {
                if cut.remove(link) != nil { taps[link]!.restore() } else { cut.insert(link); taps[link]!.cut() }
                log.append("\(cut.contains(link) ? "cut" : "restore") \(link)")
            } else {
                for link in cut { taps[link]!.restore() }
                cut = []
                log.append("restore all links")
            }
        }
        // Heal everything, then every conversation must converge.
        for link in cut { taps[link]!.restore() }
        for i in 0..<3 where nodes[i] == nil { nodes[i] = try start(i) }
        let expected = acknowledged
        let deadline = ContinuousClock.now + .seconds(90)
        var missing = conversationProblems(expected, names: Self.names, homes: homes)
        while !missing.isEmpty, ContinuousClock.now < deadline {
            await nextEvent(homes, orAfter: .seconds(3))
            missing = conversationProblems(expected, names: Self.names, homes: homes)
        }
        #expect(
            missing.isEmpty,
            "seed \(seed): \(missing.joined(separator: "; "))\nschedule:\n\(log.joined(separator: "\n"))")
        let total = acknowledged.values.reduce(0) { $0 + $1.count }
        #expect(total > 0, "seed \(seed) sent nothing")
    }

    /// A link between two nodes; the first dials the second (through its tap).
    struct Link: Hashable, CustomStringConvertible {
        var a: Int
        var b: Int
        static let all = [Link(a: 0, b: 1), Link(a: 0, b: 2), Link(a: 1, b: 2)]
        var description: String { "\(RandomScheduleTests.names[a])–\(RandomScheduleTests.names[b])" }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(ok)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
