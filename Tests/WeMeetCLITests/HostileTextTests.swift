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

/// Text from other nodes never drives the terminal (hostile-peers issue, finding 2): a friend
/// sends terminal escapes, bidi overrides and carriage returns in a message, posts and a
/// moment, a stranger advertises such a name on the radar and presses pair with it; every
/// command that prints them shows them escaped, and `--json` stays exact.
@Suite("Hostile text on the terminal", .timeLimit(.minutes(2)))
struct HostileTextTests {
    /// Sets the window title, clears the screen, hides text, a C1 CSI, a right-to-left
    /// override and a carriage return that would overwrite the line.
    static let hostile =
        "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[8mhidden \u{9B}31m \u{202E}gpj.exe\r paired (code 123 456)"

    /// Characters that must never reach a terminal from a peer (what `TerminalText` escapes).
    static func unsafe(_ text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }.map { String(format: "U+%04X", $0.value) }
    }

    static func start(
        home: String, discovery: InMemoryNetwork, controlAPI: Bool, peers: [Int] = []
    ) async throws -> (
        Node, Task<Void, any Error>, Int
    ) {
        var configuration = NodeConfiguration()
        configuration.listen = PeerAddress(host: "127.0.0.1", port: 0)
        configuration.staticPeers = peers.map { PeerAddress(host: "127.0.0.1", port: $0) }
        configuration.discovery = InMemoryDiscovery(network: discovery)
        configuration.controlAPI = controlAPI
        configuration.radarProbeInterval = .milliseconds(200)
        let node = try Node(home: NodeHome(path: home), configuration: configuration)
        let (task, port) = try await node.startServing()
        return (node, task, port)
    }

    /// Runs `wemeet` on a thread of its own: the node it talks to runs in this process, on the
    /// concurrency pool that a blocking wait would take a thread from.
    static func run(_ arguments: [String], input: String? = nil) async throws -> CLIResult {
        try await offThePool { try wemeet(arguments, input: input) }
    }

    /// Waits, event by event, until `condition` holds on `node`.
    static func waitUntil(_ node: Node, _ condition: @Sendable () async -> Bool) async {
        let events = node.events.subscribe()
        if await condition() { return }
        for await _ in events where await condition() { return }
    }

    @Test func everyCommandShowsPeersTextEscapedAndJSONStaysExact() async throws {
        let aliceHome = try TemporaryDirectory()
        let malloryHome = try TemporaryDirectory()
        defer {
            aliceHome.remove()
            malloryHome.remove()
        }
        try await makeFriends([aliceHome.path, malloryHome.path], names: ["Alice", "Mallory"])
        let network = InMemoryNetwork()
        let (alice, aliceTask, _) = try await Self.start(home: aliceHome.path, discovery: network, controlAPI: true)
        let (mallory, malloryTask, malloryPort) = try await Self.start(
            home: malloryHome.path, discovery: network, controlAPI: false)
        // A stranger on the radar with a hostile name (its advertisement's instance name), at an
        // address where something listens (Mallory's port), so the radar's liveness check keeps it.
        let strangerKey = Ed25519.PrivateKey()
        let stranger = InMemoryDiscovery(network: network)
        _ = await stranger.start(
            Advertisement(
                instanceName: Self.hostile, port: malloryPort,
                record: NodeRecord(nodeID: NodeID(publicKey: strangerKey.publicKey), protocolVersion: 1)))

        // Mallory (a friend) writes the hostile text everywhere a peer's text is shown.
        _ = try await mallory.sendMessage(to: "Alice", text: Self.hostile)
        _ = try await mallory.createGroup(name: "Club", isPublic: false)
        try await mallory.invite("Alice", to: "Club")
        await Self.waitUntil(alice) { (try? await alice.groups().contains { $0.name == "Club" }) == true }
        _ = try await alice.joinGroup("Club")
        _ = try await mallory.post(Self.hostile, to: "Club")
        _ = try await mallory.postMoment(Self.hostile)
        _ = try await mallory.createGroup(name: "Open", isPublic: true)
        _ = try await mallory.post(Self.hostile, to: "Open")
        await Self.waitUntil(alice) {
            let messages = (try? await alice.messages(with: "Mallory").count) ?? 0
            let posts = (try? await alice.posts(in: "Club").filter { $0.text == Self.hostile }.count) ?? 0
            let moments = (try? await alice.moments().count) ?? 0
            let discovered = (try? await alice.discover().count) ?? 0
            let nearby = await alice.radar().nearby.count
            return messages == 1 && posts == 1 && moments == 1 && discovered == 1 && nearby == 2
        }

        let home = ["--home", aliceHome.path]
        let commands: [[String]] = [
            ["messages", "Mallory"], ["inbox"], ["chat", "Mallory"], ["chat", "Club"], ["friends"],
            ["group", "show", "Club"], ["group", "members", "Club"], ["feed"], ["moments"], ["discover"], ["radar"],
            ["status"],
        ]
        for command in commands {
            let result = try await Self.run(command + home, input: "")
            #expect(result.status == 0, "wemeet \(command): \(result.stderr)")
            #expect(Self.unsafe(result.stdout + result.stderr).isEmpty, "wemeet \(command) printed \(result.stdout)")
        }
        // What each shows in place of the escapes.
        for command in [["messages", "Mallory"], ["feed"], ["moments"], ["discover"], ["chat", "Mallory"]] {
            let shown = try await Self.run(command + home, input: "").stdout
            #expect(
                shown.contains(#"\x1B]0;pwned\x07\x1B[2J\x1B[8mhidden \x9B31m \u{202E}gpj.exe\r paired"#), "\(shown)")
        }
        let radar = try await Self.run(["radar"] + home).stdout
        #expect(radar.contains("node \(NodeID(publicKey: strangerKey.publicKey).shortForm)"), "\(radar)")

        // --json stays exact.
        struct List: Decodable {
            struct Message: Decodable { var text: String }
            var messages: [Message]
        }
        let json = try await Self.run(["messages", "Mallory", "--json"] + home).stdout
        let list = try JSONDecoder().decode(List.self, from: Data(json.utf8))
        #expect(list.messages.map(\.text) == [Self.hostile])
        await stranger.stop()
        await Self.stop(aliceTask, malloryTask)
    }

    /// Stops in-process nodes and waits until they have released their homes.
    static func stop(_ tasks: Task<Void, any Error>...) async {
        for task in tasks {
            task.cancel()
            _ = try? await task.value
        }
    }

    /// `wemeet pair` with a stranger pressing under a hostile name: the name is replaced on
    /// receipt (Protocol.md §2), the line shows the node ID's short form, no escape is printed.
    @Test func pairShowsAHostileNameEscapedWithTheNodeID() async throws {
        let aliceHome = try TemporaryDirectory()
        defer { aliceHome.remove() }
        _ = try NodeIdentity.create(in: NodeHome(path: aliceHome.path), name: "Alice")
        let (alice, aliceTask, port) = try await Self.start(
            home: aliceHome.path, discovery: InMemoryNetwork(), controlAPI: true)
        let pressed = alice.events.subscribe()
        let mallory = Ed25519.PrivateKey()
        let relay = Task {
            for await event in pressed where event.type == .pairPressed { break }
            let peer = try await HostilePeer.connect(port: port, key: mallory, name: "Bob " + Self.hostile)
            let nonce = Random.bytes(count: 32)
            try await peer.send(.hello(pressing: true))
            try await peer.send(.commit(PairingCode.commitment(handshakeHash: peer.node.handshakeHash, nonce: nonce)))
            _ = await peer.pairing { if case .reveal(let n) = $0 { n } else { nil } }
            try await peer.send(.reveal(nonce))
            return peer
        }
        let result = try await Self.run(["pair", "--window", "2", "--yes", "--home", aliceHome.path])
        let peer = try await relay.value
        await peer.close()
        let output = result.stdout + result.stderr
        #expect(result.status != 0)
        #expect(Self.unsafe(output).isEmpty, "\(output)")
        let short = NodeID(publicKey: mallory.publicKey).shortForm
        #expect(output.contains("found node \(short) (\(short)) — code "), "\(output)")
        await Self.stop(aliceTask)
    }
}
