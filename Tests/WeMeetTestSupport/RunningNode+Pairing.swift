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
import WeMeetStore
import WeMeetSync

extension RunningNode {
    /// Starts nodes named `names` on `network`.
    package static func start(
        _ names: [String], on network: InMemoryNetwork
    ) async throws -> ([RunningNode], [TemporaryDirectory]) {
        let homes = try names.map { _ in try TemporaryDirectory() }
        var nodes: [RunningNode] = []
        for (home, name) in zip(homes, names) {
            nodes.append(try await RunningNode.start(home: home.path, name: name, discovery: network))
        }
        for node in nodes { try await node.waitUntilRadar { $0.nearby.count == names.count - 1 } }
        return (nodes, homes)
    }

    /// Presses pair on `node` and returns the event that ended the press.
    package static func press(
        _ node: RunningNode, window: Duration = .seconds(3), target: String? = nil
    ) async throws -> NodeEvent {
        let events = node.node.events.subscribe()
        _ = try await node.node.pair(window: window, interactive: false, target: target)
        for await event in events where event.type == .pairPaired || event.type == .pairEnded {
            return event
        }
        throw CancellationError()
    }
}
