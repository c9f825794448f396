import Foundation
import Testing
import WeMeetCrypto
import WeMeetProcess
import WeMeetTestSupport

@testable import WeMeetStore

@Suite("store: appending, reading, reopening")
struct StoreTests {
    static let alice = Ed25519.PrivateKey()
    static let bob = Ed25519.PrivateKey()

    @Test func batchAppendsChainAndInterleaveWithSingleAppends() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let feed = Feed(author: Self.alice.publicKey, kind: .direct, audience: Self.bob.publicKey.rawRepresentation)
        do {
            let store = try Store(directory: dir.path)
            async let batch = store.append(
                to: feed, contents: (0..<50).map { (1, Array("b\($0)".utf8)) }, key: Self.alice)
            async let single = store.append(to: feed, contentType: 1, payload: Array("single".utf8), key: Self.alice)
            let (entries, one) = try await (batch, single)
            #expect(entries.count == 50 && Set(entries.map(\.seq) + [one.seq]) == Set(1...51))
        }
        let reopened = try Store(directory: dir.path)
        let all = try await reopened.entries(of: feed.id, seqs: 1...51)
        #expect(all.count == 51)
        for (index, entry) in all.enumerated() {
            try entry.verifySignature()
            #expect(entry.previous == (index == 0 ? .zero : all[index - 1].id))
        }
    }

    @Test func appendReadAndReopen() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let feed = Feed(author: Self.alice.publicKey, kind: .direct, audience: Self.bob.publicKey.rawRepresentation)
        var ids: [EntryID] = []
        do {
            let store = try Store(directory: dir.path)
            for index in 0..<10 {
                let entry = try await store.append(
                    to: feed, contentType: 1, payload: Array("m\(index)".utf8), key: Self.alice,
                    timestamp: UInt64(index))
                #expect(entry.seq == UInt64(index + 1))
                ids.append(entry.id)
            }
            #expect(await store.head(of: feed.id) == 10)
        }
        let reopened = try Store(directory: dir.path)
        let entries = try await reopened.entries(of: feed.id, seqs: 1...100)
        #expect(entries.map(\.id) == ids)
        #expect(entries.map { String(decoding: $0.payload, as: UTF8.self) } == (0..<10).map { "m\($0)" })
        for (index, entry) in entries.enumerated() {
            try entry.verifySignature()
            #expect(entry.previous == (index == 0 ? .zero : ids[index - 1]))
        }
        #expect(try await reopened.entries(of: feed.id, seqs: 3...4).map(\.seq) == [3, 4])
    }

    @Test func concurrentAppendsAreGroupCommittedAndOrdered() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store(directory: dir.path)
        let feeds = (0..<4).map {
            Feed(author: Self.alice.publicKey, kind: .group, audience: [UInt8](repeating: UInt8($0), count: 32))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for feed in feeds {
                group.addTask {
                    for index in 0..<50 {
                        try await store.append(to: feed, contentType: 2, payload: [UInt8(index)], key: Self.alice)
                    }
                }
            }
            try await group.waitForAll()
        }
        for feed in feeds {
            let entries = try await store.entries(of: feed.id, seqs: 1...50)
            #expect(entries.map { $0.payload[0] } == (0..<50).map { UInt8($0) })
        }
        #expect(await store.entryCount == 200)
    }

    @Test func conversationTimelineMergesByTime() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store(directory: dir.path)
        let ab = Feed(author: Self.alice.publicKey, kind: .direct, audience: Self.bob.publicKey.rawRepresentation)
        let ba = Feed(author: Self.bob.publicKey, kind: .direct, audience: Self.alice.publicKey.rawRepresentation)
        try await store.append(to: ab, contentType: 1, payload: [1], key: Self.alice, timestamp: 10)
        try await store.append(to: ba, contentType: 1, payload: [2], key: Self.bob, timestamp: 20)
        try await store.append(to: ab, contentType: 1, payload: [3], key: Self.alice, timestamp: 30)
        #expect(try await store.timeline(of: [ab.id, ba.id]).map { $0.payload[0] } == [1, 2, 3])
        #expect(try await store.timeline(of: [ab.id, ba.id], limit: 2).map { $0.payload[0] } == [2, 3])
    }

    @Test func secondStoreOnTheSameDirectoryIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try Store(directory: dir.path)
        let error = #expect(throws: StoreError.self) { try Store(directory: dir.path) }
        #expect(error?.code == .locked)
        #expect(error?.message.contains("pid \(getpid())") == true)
        _ = first
    }

    @Test func onlyTheAuthorCanSign() throws {
        let feed = Feed(author: Self.alice.publicKey, kind: .moments)
        #expect(throws: StoreError.self) {
            try Entry(
                feed: feed, seq: 1, previous: .zero, timestamp: 0, contentType: 0, payload: [], signedBy: Self.bob)
        }
    }
}
