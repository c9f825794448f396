import Foundation
import Logging
import Synchronization
import Testing
import WeMeetAttachments
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetProcess
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

/// The relay's hold (Protocol.md §8.5) without a network: anchors, chains, limits, the hold
/// time by the relay's own clock, acknowledgement, and reading back after a restart.
@Suite struct RelayHoldTests {
    /// A clock the test moves.
    final class Hands: Sendable {
        private let now: Mutex<Date>
        init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { now = Mutex(start) }
        var clock: WallClock { WallClock { [self] in now.withLock { $0 } } }
        func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
    }

    static let logger = Logger(label: "test.relay")

    /// The store error code of a refused deposit, if it was refused as invalid.
    static func code(_ result: Result<Store.IngestOutcome, RelayHold.Refusal>?) -> StoreError.Code? {
        guard case .failure(.invalid(let error)) = result else { return nil }
        return error.code
    }

    /// `count` entries of a direct feed from `author` to `reader`, from seq 1.
    static func mail(
        from author: Ed25519.PrivateKey, to reader: Ed25519.PublicKey, count: Int, bytes: Int = 100
    ) throws -> [Entry] {
        let feed = Feed(author: author.publicKey, kind: .direct, audience: reader.rawRepresentation)
        var previous = EntryID.zero
        return try (1...count).map { seq in
            let entry = try Entry(
                feed: feed, seq: UInt64(seq), previous: previous, timestamp: 1_700_000_000_000, contentType: 0x0201,
                payload: Random.bytes(count: bytes), signedBy: author)
            previous = entry.id
            return entry
        }
    }

    @Test func aHeldFeedStartsAtAnySeqChainsAfterItAndReadsBackAfterARestart() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let (alice, bob) = (Ed25519.PrivateKey(), Ed25519.PrivateKey())
        let mail = try Self.mail(from: alice, to: bob.publicKey, count: 10)
        let hold = RelayHold(directory: home.path + "/relay", logger: Self.logger)
        // Bob has 1…3: Alice deposits from 4 (the anchor).
        #expect(try await hold.deposit(Array(mail[3..<6])).map { try $0.get() } == [.appended, .appended, .appended])
        // Out of order, a replay, an altered entry.
        #expect(Self.code(await hold.deposit([mail[7]]).first) == .gap)
        #expect(try await hold.deposit([mail[4]]).map { try $0.get() } == [.duplicate])
        var altered = mail[6].encoded
        altered[altered.count - 70] ^= 1
        let forged = try Entry(decoding: altered)
        let refused = await hold.deposit([forged])
        #expect(Self.code(refused.first) == .badSignature)
        #expect(await hold.deposit(Array(mail[6...])).allSatisfy { (try? $0.get()) == .appended })
        #expect(await hold.head(of: mail[0].feedID) == 10)

        let again = RelayHold(directory: home.path + "/relay", logger: Self.logger)
        #expect(await again.head(of: mail[0].feedID) == 10)
        #expect(try await again.entries(of: mail[0].feedID, seqs: 4...10).map(\.id) == mail[3...].map(\.id))
        // Bob offers his head: all of it is dropped, and a later deposit starts after it.
        #expect(await again.acknowledged(mail[0].feedID, head: 10))
        #expect(await !again.holds(mail[0].feedID))
        #expect(await again.head(of: mail[0].feedID) == 10)
        #expect(try await again.deposit([mail[9]]).map { try $0.get() } == [.duplicate])
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path + "/relay") == ["acks"])
    }

    @Test func aDepositorPastTheLimitsIsRefusedAndNothingHeldIsLost() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let (alice, bob, carol) = (Ed25519.PrivateKey(), Ed25519.PrivateKey(), Ed25519.PrivateKey())
        let limits = RelayHold.Limits(authorBytes: 10_000, totalBytes: 15_000, holdMilliseconds: 1000)
        let hold = RelayHold(directory: home.path + "/relay", limits: limits, logger: Self.logger)
        let flood = try Self.mail(from: alice, to: bob.publicKey, count: 20, bytes: 1000)
        let results = await hold.deposit(flood)
        let held = results.prefix { (try? $0.get()) == .appended }.count
        #expect(held >= 8 && held < 10)
        #expect(results[held] == .failure(.quota("author_bytes")))
        // Another author is still taken, up to the total.
        let other = try Self.mail(from: carol, to: bob.publicKey, count: 10, bytes: 1000)
        let second = await hold.deposit(other)
        #expect(second.contains(.failure(.quota("total_bytes"))))
        #expect(
            try await hold.entries(of: flood[0].feedID, seqs: 1...UInt64(held)).map(\.id) == flood[..<held].map(\.id))
    }

    @Test func mailIsDroppedAfterTheHoldTimeByTheRelaysOwnClock() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let hands = Hands()
        let (alice, bob) = (Ed25519.PrivateKey(), Ed25519.PrivateKey())
        let hold = RelayHold(directory: home.path + "/relay", clock: hands.clock, logger: Self.logger)
        // The entries are dated years before: only the relay's clock counts.
        _ = await hold.deposit(try Self.mail(from: alice, to: bob.publicKey, count: 2))
        hands.advance(6 * 24 * 3600)
        #expect(await hold.expire() == 0)
        hands.advance(2 * 24 * 3600)
        #expect(await hold.expire() == 1)
        let usage = await hold.usage()
        #expect(usage.feeds == 0 && usage.bytes == 0)
    }

    @Test func friendsTagsMatchTheVector() throws {
        let key = { (byte: UInt8) in
            NodeID(publicKey: try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: byte, count: 32)))
        }
        let tag = FriendsMessage.tag(sender: try key(1), receiver: try key(2), friend: try key(3))
        #expect(Hex.encode(tag) == "98f9cd28e1f1cc9f46804fe544ed092f")
        let message = FriendsMessage(relays: true, tags: [tag])
        #expect(Hex.encode(message.bytes) == "3101000198f9cd28e1f1cc9f46804fe544ed092f")
        #expect(try FriendsMessage(bytes: message.bytes) == message)
        #expect(throws: NodeError.self) { try FriendsMessage(bytes: [0x31, 2, 0, 0]) }
        #expect(throws: NodeError.self) { try FriendsMessage(bytes: Array(message.bytes.dropLast())) }
    }

    @Test func holdMatchesTheVector() throws {
        let reader = NodeID(publicKey: try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 2, count: 32)))
        let blob = try BlobID(hex: "9098e55e8bd0aaf8b582794ff3cbdee3d4748c5ab106bbc230fe7093dcfb7ded")
        let hold = HoldMessage(reader: reader, blobs: [(blob, 5)])
        #expect(
            Hex.encode(hold.bytes)
                == "32" + String(repeating: "02", count: 32) + "01"
                + "9098e55e8bd0aaf8b582794ff3cbdee3d4748c5ab106bbc230fe7093dcfb7ded" + "0000000000000005")
        #expect(try HoldMessage(bytes: hold.bytes) == hold)
        #expect(throws: NodeError.self) { try HoldMessage(bytes: Array(hold.bytes.dropLast())) }
        #expect(throws: NodeError.self) { try HoldMessage(bytes: Array(hold.bytes.prefix(34))) }
    }
}
