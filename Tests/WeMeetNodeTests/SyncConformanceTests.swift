import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetProcess
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Wire-level checks of Protocol.md §8.3 against what the node sends (conformance issue,
/// node bugs 3, 5 and 6), played by a friend's own key through the hostile-peer harness.
@Suite("Sync conformance (wire level)", .stopsNodes, .timeLimit(.minutes(1)))
struct SyncConformanceTests {
    @Test func refusedAndUndecodableEntriesGetTheirRejectsAndTheChannelStays() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let peer = try await HostilePeer.connect(port: alice.port, key: bobKey, name: "Bob")
        // A DM feed from Bob to someone else: not a feed Alice takes from Bob (reason 2).
        let elsewhere = Feed(author: bobKey.publicKey, kind: .direct, audience: Random.bytes(count: 32))
        let notHers = try Entry(
            feed: elsewhere, seq: 1, previous: .zero, timestamp: 1, contentType: DirectMessages.contentType,
            payload: [1, 2, 3], signedBy: bobKey)
        // An entry of a version this node does not know: no feed can be read from it.
        var undecodable = notHers.encoded
        undecodable[0] = 2
        try await peer.send(SyncMessage.entries([notHers.encoded, undecodable]))
        #expect(
            await peer.waitUntil { received in
                received.filter { if case .sync(.reject) = $0 { true } else { false } }.count >= 2
            })
        let got = await peer.all.compactMap { message -> (FeedID, SyncMessage.RejectReason, String)? in
            if case .sync(.reject(let feed, _, let reason, let text)) = message { return (feed, reason, text) }
            return nil
        }
        #expect(got.contains { $0.0 == elsewhere.id && $0.1 == .notAuthorised }, "\(got)")
        #expect(
            got.contains {
                $0.0.rawValue == [UInt8](repeating: 0, count: 32) && $0.1 == .malformed
                    && $0.2.contains("malformed entry")
            }, "\(got)")
        // The channel stays: a good message from Bob still arrives on it.
        let good = try DirectMessageTests.firstMessage(from: bobKey, to: alice, "still here")
        try await peer.send(SyncMessage.entries([good.encoded]))
        try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 1 }
        #expect(await !peer.isClosed)
        await peer.close()
        await alice.stop()
    }

    @Test func aNodeRefusesToDialItself() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let node = try await RunningNode.start(home: home.path, name: "Alice", controlAPI: true)
        for host in ["127.0.0.1", "localhost"] {
            let (status, body) = try await ControlAPIBadInputTests.curl(
                home.path, "POST", "/v1/peers", body: "{\"address\":\"\(host):\(node.port)\"}")
            #expect(status == 400 && body.contains("own address"), "\(status) \(body)")
        }
        #expect(await node.node.status().dialing.isEmpty)
        await node.stop()
    }
}
