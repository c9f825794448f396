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
import WeMeetStore
import WeMeetSync

/// In-process nodes on 127.0.0.1 for multi-node tests.
package struct RunningNode: Sendable {
    package let node: Node
    package let task: Task<Void, any Error>
    package let port: Int

    /// Starts a node in `home` (creating its identity when needed).
    package static func start(
        home: String, name: String, port: Int = 0, peers: [Int] = [], controlAPI: Bool = false,
        discovery: InMemoryNetwork? = nil, clock: WallClock = .system, arrivalClock: ArrivalClock = .system
    ) async throws -> RunningNode {
        let nodeHome = NodeHome(path: home)
        if (try? NodeIdentity.load(from: nodeHome)) == nil { _ = try NodeIdentity.create(in: nodeHome, name: name) }
        var configuration = NodeConfiguration()
        configuration.listen = PeerAddress(host: "127.0.0.1", port: port)
        configuration.staticPeers = peers.map { PeerAddress(host: "127.0.0.1", port: $0) }
        configuration.mdns = discovery != nil
        configuration.discovery = discovery.map { InMemoryDiscovery(network: $0) }
        configuration.radarProbeInterval = .milliseconds(200)
        configuration.controlAPI = controlAPI
        configuration.backoffStart = .milliseconds(20)
        configuration.backoffCap = .milliseconds(500)
        configuration.clock = clock
        configuration.arrivalClock = arrivalClock
        let node = try Node(home: nodeHome, configuration: configuration)
        let (task, port) = try await node.startServing()
        let running = RunningNode(node: node, task: task, port: port)
        StartedNodes.current?.add(running)
        return running
    }

    /// Stops the node and waits until it has released its home.
    package func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// Stops the node, then waits until `other` has dropped its connection to it: a test that
    /// then speaks with this node's key must wait, or `other` refuses that channel as a
    /// duplicate of the old one (seen under parallel load).
    package func stop(seenBy other: RunningNode) async throws {
        await stop()
        let id = nodeID
        try await other.waitUntil { !$0.peers.contains { $0.nodeID == id } }
    }

    /// Returns once no store holds the lock of `home`'s store any more (``StoreLock/waitUntilFree(directory:)``).
    package static func waitUntilStoreIsFree(home: String) async {
        await StoreLock.waitUntilFree(directory: NodeHome(path: home).storePath)
    }

    /// Waits, event by event, until `condition` holds for the node's status.
    package func waitUntil(_ condition: @Sendable (NodeStatus) -> Bool) async throws {
        let events = node.events.subscribe()
        if condition(await node.status()) { return }
        for await _ in events {
            if condition(await node.status()) { return }
        }
        Issue.record("the node stopped before the condition held")
    }

    package var nodeID: NodeID { node.identity.nodeID }

    /// Waits, event by event on either node, until `condition` holds for both statuses.
    package static func waitUntil(
        _ a: RunningNode, _ b: RunningNode, _ condition: @Sendable (NodeStatus, NodeStatus) -> Bool
    ) async throws {
        let (changes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let forwarders = [a, b].map { running in
            let events = running.node.events.subscribe()
            return Task {
                for await _ in events { continuation.yield() }
                continuation.finish()
            }
        }
        defer { for forwarder in forwarders { forwarder.cancel() } }
        if condition(await a.node.status(), await b.node.status()) { return }
        for await _ in changes {
            if condition(await a.node.status(), await b.node.status()) { return }
        }
        Issue.record("a node stopped before the condition held")
    }

    /// Waits, event by event on any of `nodes`, until `condition` holds.
    package static func waitUntilEvent(_ nodes: [RunningNode], _ condition: @Sendable () async -> Bool) async throws {
        let (changes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let forwarders = nodes.map { running in
            let events = running.node.events.subscribe()
            return Task {
                for await _ in events { continuation.yield() }
                continuation.finish()
            }
        }
        defer { for forwarder in forwarders { forwarder.cancel() } }
        if await condition() { return }
        for await _ in changes where await condition() { return }
        Issue.record("a node stopped before the condition held")
    }

    package init(node: Node, task: Task<Void, any Error>, port: Int) {
        self.node = node
        self.task = task
        self.port = port
    }
}
