import Foundation
import Testing
import WeMeetControl
import WeMeetDiscovery
import WeMeetModel
import WeMeetNode
import WeMeetPeers

/// Makes the homes (an identity for each name, unless it has one) members of one new private
/// group `group`, created by the first, in process (in-memory discovery), so a test about a
/// crowd starts with its group in a minute: the creator pairs with each other member only to
/// invite it, and unpairs once it has joined — nobody is anybody's friend afterwards, and
/// the group's posts travel its overlay (Protocol.md §10.9). Returns the group's ID.
package func makeGroup(_ homes: [String], names: [String], group: String) async throws -> String {
    let network = InMemoryNetwork()
    var nodes: [(node: Node, task: Task<Void, any Error>)] = []
    for (home, name) in zip(homes, names) {
        let (node, task) = try await startInProcess(home: home, name: name, network: network) {
            $0.pairingSettle = .zero
        }
        nodes.append((node, task))
    }
    defer { for (_, task) in nodes { task.cancel() } }
    let creator = nodes[0].node
    let count = nodes.count
    try await until(creator) { await creator.radar().nearby.count == count - 1 }
    let id = try await creator.createGroup(name: group, isPublic: false).id
    let members = nodes.dropFirst().map(\.node)
    for node in members {
        for attempt in 1...3 {
            async let first = press(creator, target: node.identity.nodeID.description)
            async let second = press(node, target: creator.identity.nodeID.description)
            if try await (first, second) == (true, true) { break }
            try #require(attempt < 3, "the creator and \(node.identity.name) did not pair")
        }
        _ = try await creator.invite(node.identity.nodeID.description, to: id)
    }
    // Everyone invited joins at once; then the creator lets go of its friends.
    try await withThrowingTaskGroup(of: Void.self) { joins in
        for node in members {
            joins.addTask {
                try await until(node) {
                    (try? await node.groups().first.map { $0.role == .invited && $0.readable }) == true
                }
                _ = try await node.joinGroup(id)
            }
        }
        try await joins.waitForAll()
    }
    try await until(creator) { (try? await creator.groups().first.map { $0.members == count }) == true }
    for node in members { _ = try await creator.unpair(node.identity.nodeID.description) }
    for (node, _) in nodes {
        try await until(node) { (try? await node.groups().first.map { $0.members == count }) == true }
    }
    for (_, task) in nodes {
        task.cancel()
        _ = try? await task.value
    }
    // The caller starts `wemeet node` processes in these homes next: each must find its
    // store unlocked.
    for home in homes { await RunningNode.waitUntilStoreIsFree(home: home) }
    return id
}

/// Waits, event by event on `node`, until `condition` holds.
private func until(_ node: Node, _ condition: @Sendable () async -> Bool) async throws {
    let events = node.events.subscribe()
    if await condition() { return }
    for await _ in events where await condition() { return }
    throw SimulatedLANError(description: "the node stopped before the condition held")
}

private func press(_ node: Node, target: String) async throws -> Bool {
    let events = node.events.subscribe()
    _ = try await node.pair(window: .seconds(5), interactive: false, target: target)
    for await event in events where event.type == .pairPaired || event.type == .pairEnded {
        return event.type == .pairPaired
    }
    return false
}
