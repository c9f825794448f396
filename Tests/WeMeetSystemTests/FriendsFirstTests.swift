import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WeMeetChannel
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetTestSupport

/// Strangers cannot lock friends out (Protocol.md §4.6): a real `wemeet node` under two
/// floods kept up for the whole test — silent connections holding every handshake slot from
/// 16 addresses, and 256 authenticated channels of throw-away keys from 64 addresses, each
/// redialled the moment the node closes it — still gets a friend's message, and still pairs
/// with a stranger who presses.
@Suite("Friends first under a stranger flood", .timeLimit(.minutes(4)))
struct FriendsFirstTests {
    @Test func aFriendsMessageArrivesAndAStrangerWhoPressesPairsUnderBothFloods() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let homes = ["Alice", "Bob", "Carol"].map { directory.path + "/" + $0 }
        try await makeFriends(Array(homes.prefix(2)), names: ["Alice", "Bob"])
        _ = try wemeet("init", "--name", "Carol", "--home", homes[2])
        let port = try RandomScheduleTests.freePort()
        let alice = try Self.node("Alice", homes[0], ["--listen", "127.0.0.1:\(port)", "--no-mdns"])
        defer { alice.stop() }

        let flood = Flood(port: port)
        let floods = Task { await flood.run() }
        defer { floods.cancel() }
        // Both floods are up: every silent slot was taken, and every throw-away key got in once.
        await flood.waitUntilUp()

        // Bob, a friend, dials in only (Alice has no address for him) and writes.
        let started = ContinuousClock.now
        let bob = try Self.node(
            "Bob", homes[1], ["--listen", "127.0.0.1:0", "--no-mdns", "--peer", "127.0.0.1:\(port)"])
        defer { bob.stop() }
        try await awaitState(homes[0]) { client in
            let list: MessageList = try await client.get("/v1/messages/Bob?limit=10")
            return list.messages.contains { $0.text == "through the flood" }
        } action: {
            let sent = try await offThePool { try wemeet("send", "Alice", "through the flood", "--home", homes[1]) }
            #expect(sent.status == 0, "\(sent.stderr)")
        }
        let delivered = ContinuousClock.now - started

        // Carol, a stranger, dials in and presses pair with Alice.
        let carol = try Self.node(
            "Carol", homes[2], ["--listen", "127.0.0.1:0", "--no-mdns", "--peer", "127.0.0.1:\(port)"])
        defer { carol.stop() }
        _ = try carol.awaitLine(containing: "peer connected")
        async let alicePairs = offThePool { try wemeet("pair", "--yes", "--home", homes[0]) }
        async let carolPairs = offThePool { try wemeet("pair", "--yes", "--home", homes[2]) }
        let (ap, cp) = try await (alicePairs, carolPairs)
        #expect(ap.stdout.contains("paired with Carol") && cp.stdout.contains("paired with Alice"), "\(ap) | \(cp)")
        let counts = flood.counts
        print(
            """
            friends first: Bob's message arrived \(delivered) after his node started; floods: \
            \(counts.silent) silent connections, \(counts.channels) throw-away channels opened, \
            \(counts.closedByNode) of them closed by the node
            """)
        #expect(counts.channels >= 256 && counts.silent >= 64)
    }

    /// A `wemeet node` process, once it runs.
    static func node(_ label: String, _ home: String, _ arguments: [String]) throws -> ChildProcess {
        let process = try ChildProcess(
            label: label, executable: try wemeetExecutable(), arguments: ["node", "--home", home] + arguments,
            environment: ["AVAHI_COMPAT_NOWARN": "1"])
        _ = try process.awaitLine(containing: "node running")
        return process
    }

    /// The hostile side: both floods, kept up until cancelled.
    final class Flood: Sendable {
        struct Counts: Sendable {
            var silent = 0
            var channels = 0
            var closedByNode = 0
        }

        let port: Int
        private let state = Mutex(Counts())
        private let (up, upSink) = AsyncStream<Void>.makeStream()
        let quiet = Logger(label: "flood", factory: { _ in SwiftLogNoOpLogHandler() })

        init(port: Int) { self.port = port }

        var counts: Counts { state.withLock { $0 } }

        private func note(_ change: (inout Counts) -> Void) {
            let counts = state.withLock { counts in
                change(&counts)
                return counts
            }
            if counts.silent >= 64 && counts.channels >= 256 { upSink.yield() }
        }

        func waitUntilUp() async {
            for await _ in up { return }
        }

        func run() async {
            await withTaskGroup(of: Void.self) { group in
                for slot in 0..<64 { group.addTask { await self.silent(from: "127.0.0.\(2 + slot / 4)") } }
                for slot in 0..<256 { group.addTask { await self.throwAway(from: "127.0.1.\(1 + slot / 4)") } }
            }
        }

        /// A connection that never says a word, opened again whenever the node closes it.
        private func silent(from source: String) async {
            while !Task.isCancelled {
                guard
                    let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                        .bind(to: try SocketAddress(ipAddress: source, port: 0))
                        .connect(host: "127.0.0.1", port: port).get()
                else {
                    try? await Task.sleep(for: .milliseconds(10))
                    continue
                }
                note { $0.silent += 1 }
                await withTaskCancellationHandler {
                    try? await channel.closeFuture.get()
                } onCancel: {
                    channel.close(promise: nil)
                }
            }
        }

        /// An authenticated channel from a fresh key, kept alive and silent, opened again
        /// (with another key) whenever the node closes it.
        private func throwAway(from source: String) async {
            while !Task.isCancelled {
                let credentials = ChannelCredentials(identityKey: Ed25519.PrivateKey(), displayName: "Stranger")
                guard
                    let channel = try? await SecureChannel.connect(
                        host: "127.0.0.1", port: port, credentials: credentials, logger: quiet,
                        localAddress: try SocketAddress(ipAddress: source, port: 0))
                else {
                    try? await Task.sleep(for: .milliseconds(10))
                    continue
                }
                note { $0.channels += 1 }
                _ = try? await channel.executeThenClose { inbound, _ in
                    for try await _ in inbound {}
                }
                if !Task.isCancelled { note { $0.closedByNode += 1 } }
            }
        }
    }
}
