import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetSync

/// `wemeet friends --json` for `home`.
package func friends(_ home: String) throws -> [Friend] {
    let result = try wemeet("friends", "--json", "--home", home)
    try #require(result.status == 0, "wemeet friends: \(result.stderr)")
    return try ControlJSON.decoder.decode(FriendList.self, from: Data(result.stdout.utf8)).friends
}

/// Presses pair on the node of `home` through its control API (`POST /v1/pair`, not
/// interactive) and returns the event that ended the press.
package func pressViaAPI(_ home: String, with target: String? = nil) async throws -> NodeEvent {
    struct Press: Encodable {
        var window: Double
        var interactive: Bool
        var with: String?
    }
    return try await awaitEvent(home, where: { $0.type == .pairPaired || $0.type == .pairEnded }) {
        let _: PairingStatus = try await ControlClient(home: NodeHome(path: home)).post(
            "/v1/pair", json: Press(window: 4, interactive: false, with: target))
    }
}

/// Runs `action` while following the events of the node of `home`; returns the first event
/// of `type` (that `matching` accepts) — or the first already true when the action returns.
package func awaitEvent(
    _ home: String, _ type: NodeEvent.Kind, matching: @escaping @Sendable (NodeEvent) -> Bool = { _ in true },
    _ action: () async throws -> Void
) async throws -> NodeEvent {
    try await awaitEvent(home, where: { $0.type == type && matching($0) }, action)
}

/// Runs `action` while following the events of the node of `home`; returns the first event
/// that `matching` accepts.
package func awaitEvent(
    _ home: String, where matching: @escaping @Sendable (NodeEvent) -> Bool, _ action: () async throws -> Void
) async throws -> NodeEvent {
    let client = ControlClient(home: NodeHome(path: home))
    let (subscribed, ready) = AsyncStream<Void>.makeStream()
    let (found, sink) = AsyncStream<NodeEvent>.makeStream()
    let follower = Task {
        try? await client.followEvents(subscribed: { ready.finish() }) { event in
            guard matching(event) else { return true }
            sink.yield(event)
            return false
        }
        ready.finish()
        sink.finish()
    }
    defer { follower.cancel() }
    for await _ in subscribed {}
    try await action()
    for await event in found { return event }
    throw SimulatedLANError(description: "the node stopped before the awaited event")
}
