import Foundation
import Testing
import WeMeetCrypto
import WeMeetProcess
import WeMeetTestSupport

@testable import WeMeetStore

/// Every foreign entry is validated; each rejection has a reason and leaves the store usable.
@Suite("store: ingest validation")
struct IngestTests {
    static let author = Ed25519.PrivateKey()
    static let feed = Feed(author: author.publicKey, kind: .moments)

    /// A valid chain of `count` entries by ``author``.
    static func chain(_ count: Int, payload: (Int) -> [UInt8] = { [UInt8($0)] }) throws -> [Entry] {
        var entries: [Entry] = []
        for index in 0..<count {
            entries.append(
                try Entry(
                    feed: feed, seq: UInt64(index + 1), previous: entries.last?.id ?? .zero, timestamp: UInt64(index),
                    contentType: 1, payload: payload(index), signedBy: author))
        }
        return entries
    }

    static func withStore(_ body: (Store) async throws -> Void) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try await body(try Store(directory: dir.path))
    }

    @Test func validChainIsAcceptedAndReplaysAreDuplicates() async throws {
        try await Self.withStore { store in
            let entries = try Self.chain(5)
            for entry in entries { #expect(try await store.ingest(entry.encoded) == .appended) }
            #expect(try await store.ingest(entries[2].encoded) == .duplicate)
            #expect(await store.head(of: Self.feed.id) == 5)
        }
    }

    @Test func rejectionsCarryReasonsAndTheFeedContinues() async throws {
        try await Self.withStore { store in
            let entries = try Self.chain(4)
            try await store.ingest(entries[0].encoded)

            var tampered = entries[1].encoded
            tampered[Entry.headerLength] ^= 1
            let badSignature = await #expect(throws: StoreError.self) { try await store.ingest(tampered) }
            #expect(badSignature?.code == .badSignature)

            var forged = entries[1].encoded
            forged[forged.count - 1] ^= 1
            #expect(await #expect(throws: StoreError.self) { try await store.ingest(forged) }?.code == .badSignature)

            let gap = await #expect(throws: StoreError.self) { try await store.ingest(entries[2].encoded) }
            #expect(gap?.code == .gap)
            #expect(gap?.message.contains("have up to seq 1, got seq 3") == true)

            let other = try Entry(
                feed: Self.feed, seq: 2, previous: EntryID(encoded: [9]), timestamp: 0, contentType: 1, payload: [],
                signedBy: Self.author)
            #expect(
                await #expect(throws: StoreError.self) { try await store.ingest(other.encoded) }?.code == .wrongPrevious
            )

            // The feed continues after every rejection.
            for entry in entries[1...] { #expect(try await store.ingest(entry.encoded) == .appended) }
        }
    }

    @Test(
        "malformed bytes are rejected",
        arguments: [0, 1, 100, 183, 184, 185, 1000])
    func malformed(length: Int) async throws {
        try await Self.withStore { store in
            let error = await #expect(throws: StoreError.self) { try await store.ingest(Random.bytes(count: length)) }
            #expect(error?.code == .malformed || error?.code == .badSignature || error?.code == .tooLarge)
        }
    }

    @Test func truncatedAndOversizedEntriesAreRejected() async throws {
        try await Self.withStore { store in
            let entry = try Self.chain(1)[0]
            for cut in [1, 10, 64, entry.encoded.count - 1] {
                #expect(
                    await #expect(throws: StoreError.self) { try await store.ingest(entry.encoded.prefix(cut)) }?.code
                        == .malformed)
            }
            #expect(
                await #expect(throws: StoreError.self) { try await store.ingest(entry.encoded + [0]) }?.code
                    == .malformed)
            #expect(
                await #expect(throws: StoreError.self) {
                    try await store.ingest([UInt8](repeating: 1, count: Entry.maximumLength + 1))
                }?.code == .tooLarge)
            #expect(throws: StoreError.self) {
                try Entry(
                    feed: Self.feed, seq: 1, previous: .zero, timestamp: 0, contentType: 0,
                    payload: [UInt8](repeating: 0, count: Entry.maximumPayloadLength + 1), signedBy: Self.author)
            }
        }
    }

    @Test func forksAreKeptAsEvidenceAndFreezeTheFeed() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let entries = try Self.chain(3)
        let rival = try Entry(
            feed: Self.feed, seq: 2, previous: entries[0].id, timestamp: 99, contentType: 1, payload: [42],
            signedBy: Self.author)
        do {
            let store = try Store(directory: dir.path)
            for entry in entries { try await store.ingest(entry.encoded) }
            let fork = await #expect(throws: StoreError.self) { try await store.ingest(rival.encoded) }
            #expect(fork?.code == .fork)
            #expect(await store.isFrozen(Self.feed.id))
            let next = try Self.chain(4)[3]
            #expect(await #expect(throws: StoreError.self) { try await store.ingest(next.encoded) }?.code == .frozen)
        }
        let reopened = try Store(directory: dir.path)
        let forks = await reopened.allForks()
        #expect(forks.count == 1)
        #expect(forks.first?.seq == 2)
        #expect(forks.first?.kept == entries[1].id)
        #expect(forks.first?.rejected.id == rival.id)
        #expect(await reopened.isFrozen(Self.feed.id))
    }
}

@Suite("store: batch ingest")
struct BatchIngestTests {
    @Test func batchOutcomesAreIndividual() async throws {
        try await IngestTests.withStore { store in
            let entries = try IngestTests.chain(6)
            var tampered = entries[3].encoded
            tampered[Entry.headerLength] ^= 1
            let outcomes = await store.ingest(
                batch: [entries[0].encoded, entries[1].encoded, entries[1].encoded, tampered, entries[4].encoded])
            #expect(try outcomes[0].get() == .appended)
            #expect(try outcomes[1].get() == .appended)
            #expect(try outcomes[2].get() == .duplicate)
            #expect(throws: StoreError.self) { try outcomes[3].get() }
            #expect(throws: StoreError.self) { try outcomes[4].get() }  // a gap after the rejected one
            #expect(await store.head(of: IngestTests.feed.id) == 2)
            let rest = await store.ingest(batch: entries[2...].map(\.encoded))
            #expect(rest.allSatisfy { (try? $0.get()) == .appended })
            #expect(await store.head(of: IngestTests.feed.id) == 6)
        }
    }
}
