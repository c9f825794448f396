import Foundation
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// Issue "web app" (stage `views`): the views the app calls constantly, on a long history.
/// A node's store is filled with 1,000,000 entries (`--quick`: 100,000) over 50 friends and
/// 20 groups — conversations both ways with receipts, friends' moments, posts in five public
/// groups of this node that ten friends joined, in ten public groups of friends (discover)
/// and in five private groups — written in rounds, so that feeds interleave in the log as
/// they would over years. The node is restarted on it, and each view is timed: p50 and p99.
/// Target: at most 50 ms each.
enum ViewBenchmark {
    static func run(scale: Double) async throws -> [Figure] {
        let root = StoreBenchmark.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let home = root + "/me"
        let network = InMemoryNetwork()
        let friendCount = 50
        let friendKeys = (0..<friendCount).map { _ in Ed25519.PrivateKey() }
        let myPublic = try await fill(home: home, network: network, friendKeys: friendKeys, scale: scale)
        await StoreLock.waitUntilFree(directory: NodeHome(path: home).storePath)

        // Phase 2: the node starts on that store.
        var figures = try await phase2(
            home: home, network: network, friendCount: friendCount, myPublic: myPublic, scale: scale)
        // Phase 3: once more, now that the node has kept its inbox counts.
        await StoreLock.waitUntilFree(directory: NodeHome(path: home).storePath)
        let again = try await BenchNode.start(home: home, name: "Me", network: network)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await again.node.inbox()
        figures.insert(
            Figure(
                name: "views: first inbox after a restart (counts kept)", value: (clock.now - start).seconds * 1000,
                unit: "ms"), at: 3)
        await again.stop()
        return figures
    }

    private static func phase2(
        home: String, network: InMemoryNetwork, friendCount: Int, myPublic: [String], scale: Double
    ) async throws -> [Figure] {
        let clock = ContinuousClock()
        let started = clock.now
        let restarted = try await BenchNode.start(home: home, name: "Me", network: network)
        let startSeconds = (clock.now - started).seconds
        let figures = try await measure(
            restarted.node, friendCount: friendCount, myPublic: myPublic, scale: scale, startSeconds: startSeconds)
        await restarted.stop()
        return figures
    }

    /// Phase 1, in a function of its own so that nothing holds the store when it returns (its
    /// lock goes with it): the history. Answers the IDs of this node's public groups.
    private static func fill(
        home: String, network: InMemoryNetwork, friendKeys: [Ed25519.PrivateKey], scale: Double
    ) async throws -> [String] {
        let friendCount = friendKeys.count
        let friendIDs = friendKeys.map { NodeID(publicKey: $0.publicKey) }
        let total = Int(1_000_000 * scale)
        // Phase 1: the node makes its groups and friends; the history is then written straight
        // into its store (signed by each author's key, as sync would have stored it).
        let bench = try await BenchNode.start(home: home, name: "Me", network: network)
        let me = try await bench.node.running()
        let myKey = try NodeIdentity.load(from: NodeHome(path: home)).privateKey
        for (index, id) in friendIDs.enumerated() {
            _ = try await me.friends.add(id, name: "Friend \(index)", code: "000000")
        }
        var myPublic: [GroupDefinition] = []
        var privateGroups: [String] = []
        for index in 0..<5 {
            let summary = try await bench.node.createGroup(name: "Mine \(index)", isPublic: true)
            guard let definition = await me.groups.states[GroupID(hex: summary.id)!]?.definition else {
                throw BenchError("group \(summary.name) has no definition")
            }
            myPublic.append(definition)
            let sealed = try await bench.node.createGroup(name: "Private \(index)", isPublic: false)
            for friend in 0..<3 { _ = try await bench.node.invite("Friend \(index * 3 + friend)", to: sealed.id) }
            privateGroups.append(sealed.id)
        }
        let store = me.store
        // Friends join this node's public groups (ten each) and create ten public groups of
        // their own, each joined by four other friends.
        var joins: [(key: Ed25519.PrivateKey, definition: GroupDefinition)] = []
        for (index, definition) in myPublic.enumerated() {
            for member in 0..<10 { joins.append((friendKeys[(index * 10 + member) % friendCount], definition)) }
        }
        var theirPublic: [GroupDefinition] = []
        for index in 0..<10 {
            let creator = friendKeys[(index * 5) % friendCount]
            let definition = GroupDefinition(
                creator: creator.publicKey, isPublic: true, nonce: Random.bytes(count: 16), name: "Theirs \(index)")
            theirPublic.append(definition)
            for member in 0..<5 { joins.append((friendKeys[(index * 5 + member) % friendCount], definition)) }
        }
        for (key, definition) in joins {
            let name = "Friend \(friendKeys.firstIndex { $0.publicKey == key.publicKey } ?? 0)"
            _ = try await store.append(
                to: Feed(author: key.publicKey, kind: .group, audience: definition.id.rawValue),
                contentType: GroupRecord.ContentType.join,
                payload: GroupRecord.encode(GroupRecord.Join(definition, memberName: name, deps: [:])), key: key)
        }

        // The history, in rounds: DMs (80 %), group posts (15 %), moments (5 %).
        FileHandle.standardError.write(Data("bench: views: writing \(total) entries\n".utf8))
        let ciphers = try friendKeys.map { key in
            (
                out: try DirectCipher(own: myKey, other: key.publicKey, outgoing: true),
                in: try DirectCipher(own: key, other: myKey.publicKey, outgoing: true)
            )
        }
        let text = Array("a message of an ordinary length, about sixty bytes long ok".utf8)
        let post = Array(
            try JSONEncoder().encode(GroupRecord.Post(text: "a post in a group, about as long as most of them are")))
        let rounds = max(total / 10_000, 1)
        let perRound = total / rounds
        var written = 0
        for round in 0..<rounds {
            try await withThrowingTaskGroup(of: Int.self) { group in
                // DMs: each friend 4 messages each way per round, a receipt every 20th.
                let dmPerFriend = perRound * 8 / 10 / friendCount / 2
                for (index, cipher) in ciphers.enumerated() {
                    let key = friendKeys[index]
                    group.addTask {
                        var mine: [(contentType: UInt16, payload: [UInt8])] = []
                        var theirs: [(contentType: UInt16, payload: [UInt8])] = []
                        for n in 0..<dmPerFriend {
                            let receipt = n % 20 == 19
                            let body: [UInt8] =
                                receipt
                                ? [DirectMessages.Kind.receipt.rawValue] + [UInt8](repeating: 0, count: 16)
                                : [DirectMessages.Kind.message.rawValue] + text
                            mine.append((DirectMessages.contentType, cipher.out.seal(body)))
                            theirs.append((DirectMessages.contentType, cipher.in.seal(body)))
                        }
                        _ = try await store.append(to: cipher.out.feed, contents: mine, key: myKey)
                        _ = try await store.append(to: cipher.in.feed, contents: theirs, key: key)
                        return mine.count + theirs.count
                    }
                }
                // Group posts by the members of every public group.
                let postsPerJoin = max(perRound * 15 / 100 / joins.count, 1)
                for (key, definition) in joins {
                    group.addTask {
                        let feed = Feed(author: key.publicKey, kind: .group, audience: definition.id.rawValue)
                        let contents = (0..<postsPerJoin).map { _ in (GroupRecord.ContentType.post, post) }
                        _ = try await store.append(to: feed, contents: contents, key: key)
                        return contents.count
                    }
                }
                // Moments of every friend.
                let momentsPerFriend = max(perRound * 5 / 100 / friendCount, 1)
                for key in friendKeys {
                    group.addTask {
                        let contents = (0..<momentsPerFriend).map { _ in (GroupRecord.ContentType.moment, post) }
                        _ = try await store.append(
                            to: Feed(author: key.publicKey, kind: .moments), contents: contents, key: key)
                        return contents.count
                    }
                }
                for try await count in group { written += count }
            }
            if round % 10 == 9 {
                FileHandle.standardError.write(Data("bench: views: \(written) entries\n".utf8))
            }
        }
        // This node's own posts, through the node (private posts are sealed under the group key).
        for group in privateGroups {
            for n in 0..<Int(200 * scale) { _ = try await bench.node.post("my post \(n)", to: group) }
        }
        await bench.stop()
        return myPublic.map(\.id.description)
    }

    /// Phase 2: each view, timed.
    private static func measure(
        _ node: Node, friendCount: Int, myPublic: [String], scale: Double, startSeconds: Double
    ) async throws -> [Figure] {
        let clock = ContinuousClock()
        let entries = await (try await node.running()).store.entryCount
        let firstInboxStart = clock.now
        let inbox = try await node.inbox()
        let firstInbox = (clock.now - firstInboxStart).seconds * 1000
        guard inbox.count == friendCount, inbox.allSatisfy({ $0.messages > 0 }) else {
            throw BenchError("the inbox lists \(inbox.count) conversations")
        }
        let discovered = try await node.discover(limit: 20)
        guard discovered.count == 20 else { throw BenchError("discover shows \(discovered.count) posts") }

        let samples = scale < 1 ? 60 : 200
        func time(_ body: (Int) async throws -> Void) async throws -> [Double] {
            var out: [Double] = []
            for sample in 0..<samples {
                let start = clock.now
                try await body(sample)
                out.append((clock.now - start).seconds * 1000)
            }
            return out
        }
        var figures = [
            Figure(name: "views: store entries", value: Double(entries), unit: "entries"),
            Figure(name: "views: node start-up on the store", value: startSeconds, unit: "s"),
            Figure(name: "views: first inbox after start-up", value: firstInbox, unit: "ms"),
        ]
        func add(_ name: String, _ values: [Double]) {
            figures.append(
                Figure(
                    name: "views: \(name), p50", value: RadarBenchmark.percentile(values, 0.5), unit: "ms", target: 50,
                    lowerIsBetter: true))
            figures.append(
                Figure(
                    name: "views: \(name), p99", value: RadarBenchmark.percentile(values, 0.99), unit: "ms", target: 50,
                    lowerIsBetter: true))
        }
        add(
            "conversation (20 latest)",
            try await time { sample in
                let page = try await node.messagePage(with: "Friend \(sample % friendCount)", limit: 20)
                guard page.messages.count == 20 else {
                    throw BenchError("a conversation page of \(page.messages.count)")
                }
            })
        // Scrolling back: each sample is the page before the previous one.
        var cursor: PageCursor?
        add(
            "conversation, scrolling back a page",
            try await time { _ in
                let page = try await node.messagePage(with: "Friend 7", before: cursor, limit: 20)
                cursor = page.earlier
            })
        add("inbox", try await time { _ in _ = try await node.inbox() })
        add(
            "group posts (20 latest)",
            try await time { sample in _ = try await node.postPage(in: myPublic[sample % 5], limit: 20) }
        )
        add("moments (20)", try await time { _ in _ = try await node.momentsPage(limit: 20) })
        add("discover (20)", try await time { _ in _ = try await node.discoverPage(limit: 20) })
        add("feed (20)", try await time { _ in _ = try await node.feedPage(limit: 20) })
        var feedCursor: PageCursor?
        add(
            "feed, scrolling back a page",
            try await time { _ in
                let page = try await node.feedPage(before: feedCursor, limit: 20)
                feedCursor = page.earlier
            })
        return figures
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
