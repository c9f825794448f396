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

/// Runs `action`, then waits (event by event on the node of `home`) until `check` holds.
package func awaitState(
    _ home: String, _ check: @escaping @Sendable (ControlClient) async throws -> Bool,
    action: () async throws -> Void
) async throws {
    let client = ControlClient(home: NodeHome(path: home))
    let (changes, sink) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let (subscribed, ready) = AsyncStream<Void>.makeStream()
    let follower = Task {
        try? await client.followEvents(subscribed: { ready.finish() }) { _ in
            sink.yield()
            return true
        }
        ready.finish()
        sink.finish()
    }
    defer { follower.cancel() }
    for await _ in subscribed {}
    try await action()
    if try await check(client) { return }
    for await _ in changes where try await check(client) { return }
    throw SimulatedLANError(description: "the node stopped before the state held")
}
