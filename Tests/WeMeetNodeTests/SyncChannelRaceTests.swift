import Foundation
import Logging
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetProcess
import WeMeetStore
import WeMeetSync

/// Two channels to one peer race (each side dialled): the connection manager keeps one and
/// closes the other, but the replaced one's "connected" may reach sync after the kept one's.
/// Sync must stay bound to the kept channel, or it drops everything that channel carries and
/// the two nodes never sync until they reconnect (seen as a rare hang: a thousand offline
/// messages that never arrived, a forwarded photo that never came).
@Suite("Sync and racing channels")
struct SyncChannelRaceTests {
    actor Transport: SyncTransport {
        var current: PeerInfo?
        init(current: PeerInfo?) { self.current = current }
        func peers() -> [PeerInfo] { current.map { [$0] } ?? [] }
        func peer(_ nodeID: NodeID) -> PeerInfo? { current?.nodeID == nodeID ? current : nil }
        func send(_ bytes: [UInt8], to nodeID: NodeID, session: [UInt8]?) -> Bool { true }
        func close(_ nodeID: NodeID, code: CloseCode, reason: String) {}
    }

    struct EveryoneIsAFriend: SyncPolicy {
        func syncs(with peer: NodeID) async -> Bool { true }
        func mayServe(_ feed: Feed, to peer: NodeID) async -> Bool { true }
        func mayServeAttachments(of feed: Feed, to peer: NodeID) async -> Bool { true }
        func mayAccept(_ feed: Feed, from peer: NodeID) async -> Bool { feed.author == peer.publicKey }
        func storageClass(of entry: Entry) async -> StorageClass { .ordinary }
    }

    @Test func theReplacedChannelReportingLastDoesNotTakeTheSessionFromTheKeptOne() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let store = try Store(directory: home.path + "/store")
        let own = Ed25519.PrivateKey()
        let bobKey = Ed25519.PrivateKey()
        let bob = NodeID(publicKey: bobKey.publicKey)
        func channel(_ hash: UInt8) -> PeerInfo {
            PeerInfo(
                nodeID: bob, displayName: "Bob", protocolVersion: 1, handshakeHash: [UInt8](repeating: hash, count: 32),
                isInitiator: hash == 1, remoteAddress: "127.0.0.1:1")
        }
        let (replaced, kept) = (channel(1), channel(2))
        let transport = Transport(current: kept)
        let sync = Sync(
            store: store, own: own.publicKey, policy: EveryoneIsAFriend(),
            quotas: Quotas(own: NodeID(publicKey: own.publicKey), limits: .defaults), transport: transport,
            events: EventHub(), logger: Logger(label: "test"), consumers: [])
        await sync.connected(kept)
        await sync.connected(replaced)  // the replaced channel's report, late
        let feed = Feed(author: bobKey.publicKey, kind: .moments)
        let entry = try Entry(
            feed: feed, seq: 1, previous: .zero, timestamp: 1_700_000_000_000, contentType: 0x0401,
            payload: Array(#"{"text":"hello"}"#.utf8), signedBy: bobKey)
        _ = await sync.handle(SyncMessage.entries([entry.encoded]).bytes, from: kept)
        #expect(await store.head(of: feed.id) == 1, "the kept channel's entries were refused")
        await sync.stop()
    }
}
