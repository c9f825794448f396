import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetFuzzHarness
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// The node's libFuzzer harnesses (`scripts/fuzz … FuzzNodeMessages FuzzTXTRecord
/// FuzzControlJSON`) on seeded random inputs and on mutations of valid ones.
@Suite("node fuzz harness smoke run")
struct NodeFuzzSmokeTests {
    static func mutations(of seeds: [[UInt8]], rounds: Int, seed: UInt64, _ body: ([UInt8]) -> Void) {
        var random = SplitMix(seed: seed)
        for round in 0..<rounds {
            var bytes = seeds[round % seeds.count]
            switch round % 4 {
            case 0:
                bytes = (0..<Int.random(in: 0..<300, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            case 2 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
            default:
                bytes += (0..<Int.random(in: 1..<20, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            }
            body(bytes)
        }
    }

    @Test func syncAndPairingMessages() throws {
        let key = Ed25519.PrivateKey()
        let feed = Feed(author: key.publicKey, kind: .direct, audience: Array(repeating: 7, count: 32))
        let entry = try Entry(
            feed: feed, seq: 1, previous: .zero, timestamp: 1, contentType: 0x0201, payload: [1, 2, 3], signedBy: key)
        let seeds: [[UInt8]] = [
            SyncMessage.offer([.init(feed: feed, head: 9)]).bytes,
            SyncMessage.want([(feed.id, 3)]).bytes,
            SyncMessage.entries([entry.encoded, entry.encoded]).bytes,
            SyncMessage.ack(77).bytes,
            SyncMessage.reject(feed: feed.id, seq: 2, reason: .gap, message: "gap").bytes,
            PairMessage.hello(pressing: true).bytes, PairMessage.commit(Array(repeating: 1, count: 32)).bytes,
            PairMessage.decline(.cancelled).bytes,
        ]
        for seed in seeds where SyncMessage.isSync(seed[0]) { #expect(try SyncMessage(bytes: seed).bytes == seed) }
        for seed in seeds where PairMessage.isPairing(seed[0]) { #expect(try PairMessage(bytes: seed).bytes == seed) }
        Self.mutations(of: seeds, rounds: 2000, seed: 11, NodeFuzzHarness.messages)
    }

    /// Found by this smoke run: a WANT or REJECT cut inside a feed ID trapped the node.
    @Test(arguments: [[0x11, 0x00, 0x01, 0xAA], [0x14, 0x01, 0x02]] as [[UInt8]])
    func truncatedFeedIDsAreRejected(bytes: [UInt8]) {
        #expect(throws: NodeError.self) { try SyncMessage(bytes: bytes) }
    }

    @Test func txtRecordsAndControlJSON() throws {
        let record = NodeRecord(nodeID: NodeID(publicKey: Ed25519.PrivateKey().publicKey), protocolVersion: 1)
        Self.mutations(of: [record.txt.bytes], rounds: 2000, seed: 12, NodeFuzzHarness.txt)
        let bodies = [
            #"{"address":"127.0.0.1:7700"}"#, #"{"window":3,"interactive":true,"with":"Bob"}"#, #"{"choice":"x"}"#,
            #"{"text":"hi"}"#, APITimeTests.fuzzCrash, "2026-11-22T08:00:00.5+08:00",
            #"["2026-11-22T08:00:00Z","9999-12-31T23:59:59Z"]"#,
        ].map { Array($0.utf8) }
        Self.mutations(of: bodies, rounds: 2000, seed: 13, NodeFuzzHarness.controlJSON)
    }
}
