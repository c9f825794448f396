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
import WeMeetSync

/// Initialises a home for each name (unless it has an identity already) and pairs every two
/// of them in process (in-memory discovery), so tests that are about something else start
/// with friends in a second. Called again with other homes, it makes other friendships.
package func makeFriends(_ homes: [String], names: [String]) async throws {
    let network = InMemoryNetwork()
    var nodes: [(Node, Task<Void, any Error>)] = []
    for (home, name) in zip(homes, names) {
        nodes.append(try await startInProcess(home: home, name: name, network: network))
    }
    let others = homes.count - 1
    for (node, _) in nodes {
        let events = node.events.subscribe()
        if await node.radar().nearby.count < others {
            for await _ in events where await node.radar().nearby.count == others { break }
        }
    }
    for a in nodes.indices {
        for b in nodes.indices where b > a {
            let (x, y) = (nodes[a].0, nodes[b].0)
            async let first = press(x, target: y.identity.nodeID.description)
            async let second = press(y, target: x.identity.nodeID.description)
            let (e1, e2) = try await (first, second)
            try #require(e1.type == .pairPaired && e2.type == .pairPaired, "\(e1) \(e2)")
        }
    }
    // Each has heard from each other which friends they share (FRIENDS, Protocol.md §8.5), so
    // mail can be relayed between them from the start.
    let ids = nodes.map { $0.0.identity.nodeID }
    for (node, _) in nodes {
        let events = node.events.subscribe()
        @Sendable func settled() async -> Bool {
            guard let mutual = try? await node.running().mutual else { return false }
            for other in ids where other != node.identity.nodeID {
                guard await mutual.said(by: other)?.friends.count == ids.count - 2 else { return false }
            }
            return true
        }
        if await !settled() { for await _ in events where await settled() { break } }
    }
    for (_, task) in nodes {
        task.cancel()
        _ = try? await task.value
    }
    // The caller starts `wemeet node` processes in these homes next: each must find its
    // store unlocked.
    for home in homes { await RunningNode.waitUntilStoreIsFree(home: home) }
}

/// Starts a node in `home` (made with an identity called `name`, unless it has one) on the
/// in-memory `network`, listening on loopback, without a control API; returns it and its task.
package func startInProcess(
    home: String, name: String, network: InMemoryNetwork, configure: (inout NodeConfiguration) -> Void = { _ in }
) async throws -> (Node, Task<Void, any Error>) {
    if (try? NodeIdentity.load(from: NodeHome(path: home))) == nil {
        _ = try NodeIdentity.create(in: NodeHome(path: home), name: name)
    }
    var configuration = NodeConfiguration()
    configuration.listen = PeerAddress(host: "127.0.0.1", port: 0)
    configuration.discovery = InMemoryDiscovery(network: network)
    configuration.controlAPI = false
    configuration.radarProbeInterval = .milliseconds(200)
    configure(&configuration)
    let node = try Node(home: NodeHome(path: home), configuration: configuration)
    let task = Task { try await node.runServingControlAPI() }
    _ = try await node.listeningAddress()
    return (node, task)
}

/// Presses pair on `node` for `target` and returns how it ended.
private func press(_ node: Node, target: String) async throws -> NodeEvent {
    let events = node.events.subscribe()
    _ = try await node.pair(window: .seconds(5), interactive: false, target: target)
    for await event in events where event.type == .pairPaired || event.type == .pairEnded { return event }
    throw SimulatedLANError(description: "the node stopped while pairing")
}
