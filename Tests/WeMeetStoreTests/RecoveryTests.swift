import Foundation
import Testing
import WeMeetCrypto
import WeMeetProcess
import WeMeetTestSupport

@testable import WeMeetStore

@Suite("store: crash recovery and corruption")
struct RecoveryTests {
    static let key = Ed25519.PrivateKey()
    static let feed = Feed(author: key.publicKey, kind: .control)

    /// Writes `count` entries; returns the log's bytes and the size before the last record.
    static func makeLog(in dir: String, count: Int) async throws -> (bytes: [UInt8], beforeLast: Int, ids: [EntryID]) {
        let store = try Store(directory: dir)
        var ids: [EntryID] = []
        var beforeLast = 0
        for index in 0..<count {
            if index == count - 1 { beforeLast = Int(try attributes(dir + "/log")) }
            ids.append(
                try await store.append(to: feed, contentType: 1, payload: Array("entry \(index)".utf8), key: key).id)
        }
        return (Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/log"))), beforeLast, ids)
    }

    static func attributes(_ path: String) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// A crash at every byte offset of the last record, simulated by truncation: the store
    /// opens, everything before it is intact, and appending continues.
    @Test func crashAtEveryByteOfTheLastRecord() async throws {
        let source = try TemporaryDirectory()
        defer { source.remove() }
        let (bytes, beforeLast, ids) = try await Self.makeLog(in: source.path, count: 3)
        for cut in beforeLast..<bytes.count {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            try Data(bytes.prefix(cut)).write(to: URL(fileURLWithPath: dir.path + "/log"))
            let logs = LogCapture()
            let store = try Store(directory: dir.path, logger: logs.logger())
            #expect(try await store.entries(of: Self.feed.id, seqs: 1...10).map(\.id) == Array(ids.prefix(2)))
            if cut > beforeLast { #expect(logs.contains("torn tail")) }
            let next = try await store.append(to: Self.feed, contentType: 1, payload: [1], key: Self.key)
            #expect(next.seq == 3)
            #expect(next.previous == ids[1])
        }
    }

    @Test func flippedBitMidFileIsReportedWithItsOffset() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (bytes, _, _) = try await Self.makeLog(in: dir.path, count: 5)
        for position in [8, 20, 300, bytes.count / 2] {
            var damaged = bytes
            damaged[position] ^= 0x10
            try Data(damaged).write(to: URL(fileURLWithPath: dir.path + "/log"))
            let error = #expect(throws: StoreError.self) { try Store(directory: dir.path) }
            #expect(error?.code == .corrupt)
            let offset = try #require(error?.offset)
            #expect(offset <= UInt64(position))
            #expect(error?.message.contains("offset \(offset)") == true)
            #expect(error?.message.contains("wemeet store repair") == true)
        }
    }

    @Test func repairCutsAtTheDamageAndKeepsWhatCameBefore() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (bytes, _, ids) = try await Self.makeLog(in: dir.path, count: 5)
        var damaged = bytes
        damaged[bytes.count / 2] ^= 0x01
        try Data(damaged).write(to: URL(fileURLWithPath: dir.path + "/log"))
        let store = try Store(directory: dir.path, recovery: .repair)
        let kept = try await store.entries(of: Self.feed.id, seqs: 1...5).map(\.id)
        #expect(!kept.isEmpty && kept.count < 5)
        #expect(kept == Array(ids.prefix(kept.count)))
    }

    @Test func garbageFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data(Random.bytes(count: 500)).write(to: URL(fileURLWithPath: dir.path + "/log"))
        #expect(#expect(throws: StoreError.self) { try Store(directory: dir.path) }?.code == .corrupt)
    }
}

/// Random appends, ingests and rejections against a simple in-memory model.
@Suite("store: model-based property test")
struct StorePropertyTests {
    @Test(arguments: [11, 22, 33] as [UInt64])
    func randomOperationsMatchTheModel(seed: UInt64) async throws {
        var random = SplitMix(seed: seed)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let local = Ed25519.PrivateKey()
        let remotes = (0..<3).map { _ in Ed25519.PrivateKey() }
        let localFeeds = (0..<2).map {
            Feed(author: local.publicKey, kind: .group, audience: [UInt8](repeating: UInt8($0), count: 32))
        }
        let remoteFeeds = remotes.map { Feed(author: $0.publicKey, kind: .moments) }
        // The model: each feed's accepted entries, in order. Remote authors' full chains are
        // pre-built so ingests can be in order, replayed, skipped ahead or tampered.
        var model: [FeedID: [EntryID]] = [:]
        var remoteChains: [FeedID: [Entry]] = [:]
        for (key, feed) in zip(remotes, remoteFeeds) {
            var chain: [Entry] = []
            for seq in 1...40 {
                chain.append(
                    try Entry(
                        feed: feed, seq: UInt64(seq), previous: chain.last?.id ?? .zero, timestamp: UInt64(seq),
                        contentType: 1, payload: [UInt8(seq)], signedBy: key))
            }
            remoteChains[feed.id] = chain
        }
        var store: Store? = try Store(directory: dir.path)
        for _ in 0..<300 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<3:
                let feed = localFeeds.randomElement(using: &random)!
                let entry = try await store!.append(to: feed, contentType: 1, payload: [1, 2, 3], key: local)
                model[feed.id, default: []].append(entry.id)
            case 3..<8:
                let feed = remoteFeeds.randomElement(using: &random)!
                let chain = remoteChains[feed.id]!
                let have = model[feed.id, default: []].count
                let seq = Int.random(in: max(1, have - 2)...min(chain.count, have + 3), using: &random)
                var bytes = chain[seq - 1].encoded
                let tamper = Int.random(in: 0..<5, using: &random) == 0
                if tamper { bytes[Entry.headerLength] ^= 0xff }
                let expectAccepted = !tamper && seq == have + 1
                do {
                    let outcome = try await store!.ingest(bytes)
                    #expect(expectAccepted || (outcome == .duplicate && seq <= have && !tamper))
                    if outcome == .appended { model[feed.id, default: []].append(chain[seq - 1].id) }
                } catch let error as StoreError {
                    #expect(!expectAccepted, "unexpected rejection: \(error)")
                }
            case 8:
                store = nil
                store = try Store(directory: dir.path)
            default:
                for (id, ids) in model {
                    #expect(try await store!.entries(of: id, seqs: 1...1000).map(\.id) == ids)
                }
            }
        }
        for (id, ids) in model {
            #expect(await store!.head(of: id) == UInt64(ids.count))
            #expect(try await store!.entries(of: id, seqs: 1...1000).map(\.id) == ids)
        }
    }
}
