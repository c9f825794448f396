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

extension RunningNode {
    /// Waits, event by event, until `condition` holds.
    package func waitUntilEvent(
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: @Sendable (NodeEvent?) async -> Bool
    ) async throws {
        let events = node.events.subscribe()
        if await condition(nil) { return }
        for await event in events {
            if await condition(event) { return }
        }
        Issue.record("the node stopped before the condition held", sourceLocation: sourceLocation)
    }

    /// Waits, event by event, until `condition` holds for the node's radar.
    package func waitUntilRadar(_ condition: @Sendable (RadarSnapshot) -> Bool) async throws {
        let events = node.events.subscribe()
        if condition(await node.radar()) { return }
        for await _ in events {
            if condition(await node.radar()) { return }
        }
        Issue.record("the node stopped before the radar condition held")
    }
}
