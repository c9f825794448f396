import Foundation
import Logging
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// The hostile-content issue's rule 6: a member cannot make everyone's fold slow. A public
/// group held by a real ``Groups`` on a real store receives 10,000 valid membership records
/// (joins and leaves from 5 members, one batch), then posts: a post's cost must not grow
/// with the group's records (target: shown in ≤ 50 ms), and a fold must be near-linear in
/// them (measured again at 10× the records).
enum FoldBenchmark {
    static func run(scale: Double) async throws -> [Figure] {
        let records = max(1_000, Int(10_000 * scale))
        let small = try await measure(records: records)
        let large = try await measure(records: records * 10)
        return [
            Figure(
                name: "fold: \(records) membership records arriving (one batch)", value: small.batchMs, unit: "ms"),
            Figure(
                name: "fold: a post shown with \(records) records in the group (p50)", value: small.postP50, unit: "ms",
                target: 50, lowerIsBetter: true),
            Figure(
                name: "fold: a post shown with \(records) records in the group (p99)", value: small.postP99, unit: "ms",
                target: 50, lowerIsBetter: true),
            Figure(
                name: "fold: one more membership record with \(records) in the group", value: small.oneRecordMs,
                unit: "ms"),
            Figure(
                name:
                    "fold: \(records * 10) records arriving (10×; ratio \(String(format: "%.1f", large.batchMs / max(small.batchMs, 0.001)))×)",
                value: large.batchMs, unit: "ms"),
            Figure(
                name: "fold: a post shown with \(records * 10) records in the group (p50)", value: large.postP50,
                unit: "ms", target: 50, lowerIsBetter: true),
        ]
    }

    struct Result {
        var batchMs: Double
        var postP50: Double
        var postP99: Double
        var oneRecordMs: Double
    }

    static func measure(records: Int) async throws -> Result {
        let directory = StoreBenchmark.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let creator = Ed25519.PrivateKey()
        let store = try Store(directory: directory + "/store", logger: quiet)
        let friends = try await FriendBook(store: store, key: creator)
        let groups = try await Groups(
            key: creator, name: "Creator", store: store, friends: friends, growth: FeedGrowth(),
            policyChanges: PolicyChanges(), events: EventHub(), logger: quiet)
        let summary = try await groups.create(name: "Bench", isPublic: true)
        guard let group = GroupID(hex: summary.id), let definition = await groups.states[group]?.definition else {
            throw BenchError("the group was not created")
        }
        let creatorID = NodeID(publicKey: creator.publicKey).description
        let peer = PeerInfo(
            nodeID: NodeID(publicKey: creator.publicKey), displayName: "bench", protocolVersion: 1,
            handshakeHash: [], isInitiator: false, remoteAddress: "bench")
        // Members with 2,000 records each (5 for 10,000: under the per-author cap, so the fold
        // reads them all) join and leave in turn, ending as members; every record cites the
        // creator's join.
        let authors = (0..<max(5, records / 2_000)).map { _ in Ed25519.PrivateKey() }
        let perAuthor = records / authors.count | 1
        var entries: [Entry] = []
        for (k, key) in authors.enumerated() {
            let feed = Feed(author: key.publicKey, kind: .group, audience: group.rawValue)
            let contents = (0..<perAuthor).map { i -> (contentType: UInt16, payload: [UInt8]) in
                i % 2 == 0
                    ? (
                        GroupRecord.ContentType.join,
                        GroupRecord.encode(GroupRecord.Join(definition, memberName: "M\(k)", deps: [creatorID: 1]))
                    )
                    : (GroupRecord.ContentType.leave, GroupRecord.encode(GroupRecord.Leave(deps: [creatorID: 1])))
            }
            for start in stride(from: 0, to: contents.count, by: 512) {
                entries += try await store.append(
                    to: feed, contents: Array(contents[start..<min(contents.count, start + 512)]), key: key)
            }
        }
        let started = ContinuousClock.now
        await groups.ingested(entries, from: peer)
        let batch = ContinuousClock.now - started
        // Posts by a member, one at a time, as they arrive.
        let poster = authors[0]
        let posterFeed = Feed(author: poster.publicKey, kind: .group, audience: group.rawValue)
        var times: [Double] = []
        for i in 0..<100 {
            let post = try await store.append(
                to: posterFeed, contentType: GroupRecord.ContentType.post,
                payload: GroupRecord.encode(GroupRecord.Post(text: "post \(i)")), key: poster)
            let start = ContinuousClock.now
            await groups.ingested([post], from: peer)
            times.append(milliseconds(ContinuousClock.now - start))
        }
        times.sort()
        // One more membership record: a whole fold.
        let leave = try await store.append(
            to: Feed(author: authors[1].publicKey, kind: .group, audience: group.rawValue),
            contentType: GroupRecord.ContentType.leave,
            payload: GroupRecord.encode(GroupRecord.Leave(deps: [creatorID: 1])),
            key: authors[1])
        let start = ContinuousClock.now
        await groups.ingested([leave], from: peer)
        let one = ContinuousClock.now - start
        return Result(
            batchMs: milliseconds(batch), postP50: times[times.count / 2], postP99: times[times.count * 99 / 100],
            oneRecordMs: milliseconds(one))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
