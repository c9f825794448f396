import Foundation
import NIOCore
import Testing
import WeMeetChannel
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
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

/// Direct messages and sync between in-process nodes on loopback (Protocol.md §8–9).
@Suite("Direct messages (in-process)", .stopsNodes, .timeLimit(.minutes(2)))
struct DirectMessageTests {
    /// Two nodes on `network` that paired with each other.
    static func friends(
        _ network: InMemoryNetwork = InMemoryNetwork()
    ) async throws -> (RunningNode, RunningNode, [TemporaryDirectory]) {
        let (nodes, homes) = try await RunningNode.start(["Alice", "Bob"], on: network)
        async let a = RunningNode.press(nodes[0])
        async let b = RunningNode.press(nodes[1])
        let (ea, eb) = try await (a, b)
        try #require(ea.type == .pairPaired && eb.type == .pairPaired)
        return (nodes[0], nodes[1], homes)
    }

    @Test func aThousandMessagesSentWhileOfflineArriveOnceInOrderAndBecomeDelivered() async throws {
        let network = InMemoryNetwork()
        let (alice, bob, homes) = try await Self.friends(network)
        defer { for home in homes { home.remove() } }
        await bob.stop()
        try await alice.waitUntil { $0.peers.isEmpty }
        for i in 0..<1000 {
            let sent = try await alice.node.sendMessage(to: "Bob", text: "message \(i)")
            #expect(sent.status == .sent)
        }
        let delivered = alice.node.events.subscribe()
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        let aliceToBob = Feed(
            author: alice.node.identity.nodeID.publicKey, kind: .direct,
            audience: bob2.node.identity.nodeID.publicKey.rawRepresentation
        ).id
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.feedHeads()[aliceToBob]) == 1000 }
        let received = try await bob2.node.messages(with: "Alice")
        #expect(received.map(\.text) == (0..<1000).map { "message \($0)" })
        #expect(Set(received.map(\.id)).count == 1000)
        #expect(received.allSatisfy { $0.direction == .incoming && $0.from == "Alice" })
        for await event in delivered
        where event.type == .dmStatus && event.detail?.hasPrefix("delivered 1000") == true {
            break
        }
        #expect(try await alice.node.messages(with: "Bob").allSatisfy { $0.status == .delivered })
        await alice.stop()
        await bob2.stop()
    }

    @Test func liveMessagesArriveAtOnceAndReadReceiptsReachTheSender() async throws {
        let (alice, bob, homes) = try await Self.friends()
        defer { for home in homes { home.remove() } }
        let bobEvents = bob.node.events.subscribe()
        let sent = try await alice.node.sendMessage(to: "Bob", text: "hi Bob 👋")
        for await event in bobEvents where event.type == .dmReceived {
            #expect(event.detail == "hi Bob 👋" && event.peer == alice.nodeID)
            break
        }
        let aliceEvents = alice.node.events.subscribe()
        try await bob.node.markRead("Alice")
        for await event in aliceEvents where event.type == .dmStatus && event.detail?.contains("read 1") == true {
            break
        }
        let seen = try await alice.node.messages(with: "Bob")
        #expect(seen.map(\.id) == [sent.id] && seen[0].status == .read)
        let inbox = try await bob.node.inbox()
        #expect(inbox.count == 1 && inbox[0].unread == 0 && inbox[0].last?.text == "hi Bob 👋")

        // A reply, unread until shown.
        _ = try await bob.node.sendMessage(to: "Alice", text: "hello")
        try await alice.waitUntilEvent { _ in (try? await alice.node.inbox().first?.unread) == 1 }
        #expect(try await alice.node.messages(with: "Bob").map(\.text) == ["hi Bob 👋", "hello"])
        await alice.stop()
        await bob.stop()
    }

    @Test func limitsAndUnknownFriendsGiveClearErrors() async throws {
        let (alice, bob, homes) = try await Self.friends()
        defer { for home in homes { home.remove() } }
        await #expect(throws: NodeError.self) { try await alice.node.sendMessage(to: "Nobody", text: "x") }
        await #expect(throws: NodeError.self) { try await alice.node.sendMessage(to: "Bob", text: "") }
        let big = String(repeating: "a", count: DirectMessages.maximumTextBytes + 1)
        let result: Result<DirectMessage, NodeError> = await Self.result { () async throws(NodeError) in
            try await alice.node.sendMessage(to: "Bob", text: big)
        }
        guard case .failure(let error) = result else {
            Issue.record("an oversized message was accepted")
            return
        }
        #expect(error.message.contains("limit is 16384"))
        _ = try await alice.node.sendMessage(to: "Bob", text: String(repeating: "a", count: 16_384))
        await alice.stop()
        await bob.stop()
    }

    static func result<T>(_ body: () async throws(NodeError) -> T) async -> Result<T, NodeError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// The first direct message from `key` to `recipient`, signed and sealed as that friend's
    /// node would, dated `timestamp` (the sender's claim).
    static func firstMessage(
        from key: Ed25519.PrivateKey, to recipient: RunningNode, timestamp: UInt64 = 1_700_000_000_000,
        _ text: String
    ) throws -> Entry {
        let other = recipient.node.identity.nodeID.publicKey
        let feed = Feed(author: key.publicKey, kind: .direct, audience: other.rawRepresentation)
        let cipher = try DirectCipher(own: key, other: other, outgoing: true)
        return try Entry(
            feed: feed, seq: 1, previous: .zero, timestamp: timestamp, contentType: DirectMessages.contentType,
            payload: cipher.seal([DirectMessages.Kind.message.rawValue] + Array(text.utf8)), signedBy: key)
    }

    /// A client that speaks for Bob with Bob's key, to send crafted entries to Alice.
    @Test func forgedGappedReplayedAndUnreadableEntriesAreRejectedAndTheConversationContinues() async throws {
        let (alice, bob, homes) = try await Self.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let feed = Feed(
            author: bobKey.publicKey, kind: .direct, audience: alice.node.identity.nodeID.publicKey.rawRepresentation)
        let cipher = try DirectCipher(own: bobKey, other: alice.node.identity.nodeID.publicKey, outgoing: true)
        func entry(_ seq: UInt64, previous: EntryID, _ text: String, sealed: Bool = true) throws -> Entry {
            let plain = [DirectMessages.Kind.message.rawValue] + Array(text.utf8)
            return try Entry(
                feed: feed, seq: seq, previous: previous, timestamp: 1_700_000_000_000 + seq,
                contentType: DirectMessages.contentType, payload: sealed ? cipher.seal(plain) : plain,
                signedBy: bobKey)
        }
        let first = try entry(1, previous: .zero, "first")
        let unreadable = try entry(2, previous: first.id, "not sealed", sealed: false)
        let third = try entry(3, previous: unreadable.id, "third")
        var forged = third.encoded
        forged[forged.count - 1] ^= 1
        let gapped = try entry(5, previous: third.id, "gap")

        let rejections = alice.node.events.subscribe()
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.send(
                SyncMessage.entries([first.encoded, unreadable.encoded, forged, first.encoded, gapped.encoded]).bytes)
            var reasons: [String] = []
            for await event in rejections where event.type == .syncRejected {
                reasons.append(event.detail ?? "")
                if reasons.count == 3 { break }
            }
            #expect(reasons.contains { $0.contains("signature") }, "\(reasons)")
            #expect(reasons.contains { $0.contains("replay") || $0.contains("already") }, "\(reasons)")
            #expect(reasons.contains { $0.contains("gap") || $0.contains("seq") }, "\(reasons)")
            // The conversation continues with the genuine third entry.
            try await outbound.send(SyncMessage.entries([third.encoded]).bytes)
            try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 2 }
            _ = inbound
        }
        #expect(try await alice.node.messages(with: "Bob").map(\.text) == ["first", "third"])
        await alice.stop()
    }

    /// A friend's clock is a claim (Protocol.md §7.1): a message dated at the last millisecond
    /// a u64 holds (year 584,556,019) is kept, shown, and written by the control API as the
    /// latest time it writes, which its clients read back (API.md, "Times"). Without the
    /// clamp it was written as a year no RFC 3339 reader takes, and `wemeet messages` failed.
    @Test func aMessageDatedAtTheEndOfTimeIsShownAndReadsBack() async throws {
        let (alice, bob, homes) = try await Self.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let entry = try Self.firstMessage(from: bobKey, to: alice, timestamp: .max, "from the end of time")
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: bobKey, displayName: "Bob"))
        try await channel.executeThenClose { _, outbound in
            try await outbound.send(SyncMessage.entries([entry.encoded]).bytes)
            try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 1 }
        }
        let list = MessageList(messages: try await alice.node.messages(with: "Bob"))
        let json = try ControlJSON.encoder.encode(list)
        #expect(String(decoding: json, as: UTF8.self).contains("\"sentAt\":\"9999-12-31T23:59:59Z\""))
        let read = try ControlJSON.decoder.decode(MessageList.self, from: json)
        #expect(read.messages.map(\.text) == ["from the end of time"])
        #expect(read.messages.first?.sentAt == APITime.latest)
        await alice.stop()
    }

    /// A malformed sync message (garbage, truncated, oversized) closes that channel with a
    /// reason; the next channel from the same friend is served as before.
    @Test(
        arguments: [[0x11, 0x00, 0x01, 0xAA], [0x12, 0x00, 0x01, 0x7F, 0xFF, 0xFF, 0xFF], [0x1F, 1, 2, 3]] as [[UInt8]])
    func malformedSyncMessagesCloseTheChannelWithAReason(bytes: [UInt8]) async throws {
        let (alice, bob, homes) = try await Self.friends()
        defer { for home in homes { home.remove() } }
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let credentials = ChannelCredentials(identityKey: bobKey, displayName: "Bob")
        let bad = try await SecureChannel.connect(host: "127.0.0.1", port: alice.port, credentials: credentials)
        let closed: String = try await bad.executeThenClose { inbound, outbound in
            try await outbound.send(bytes)
            do {
                for try await _ in inbound {}
                return "ended without a reason"
            } catch let error as SecureChannelError {
                return error.message
            }
        }
        #expect(closed.contains("invalid sync message"), "\(closed)")
        // The same friend, well-behaved, is served on its next channel.
        let entry = try Self.firstMessage(from: bobKey, to: alice, "still here")
        let good = try await SecureChannel.connect(host: "127.0.0.1", port: alice.port, credentials: credentials)
        try await good.executeThenClose { _, outbound in
            try await outbound.send(SyncMessage.entries([entry.encoded]).bytes)
            try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 1 }
        }
        #expect(try await alice.node.messages(with: "Bob").map(\.text) == ["still here"])
        await alice.stop()
    }

    @Test func aStrangerCanNeitherInjectNorReadDirectMessages() async throws {
        let (alice, bob, homes) = try await Self.friends()
        defer { for home in homes { home.remove() } }
        _ = try await alice.node.sendMessage(to: "Bob", text: "for Bob only")
        let mallory = Ed25519.PrivateKey()
        let feedToAlice = Feed(
            author: mallory.publicKey, kind: .direct, audience: alice.node.identity.nodeID.publicKey.rawRepresentation)
        let injected = try Entry(
            feed: feedToAlice, seq: 1, previous: .zero, timestamp: 1, contentType: DirectMessages.contentType,
            payload: [1, 2, 3], signedBy: mallory)
        let aliceToBob = Feed(
            author: alice.node.identity.nodeID.publicKey, kind: .direct,
            audience: bob.node.identity.nodeID.publicKey.rawRepresentation)
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: alice.port,
            credentials: ChannelCredentials(identityKey: mallory, displayName: "Mallory"))
        let got = try await channel.executeThenClose { inbound, outbound in
            try await outbound.send(SyncMessage.entries([injected.encoded]).bytes)
            try await outbound.send(SyncMessage.want([(aliceToBob.id, 0)]).bytes)
            // A stranger gets no sync messages at all; close after a round trip (a pairing
            // hello is answered by nothing, so send an offer of nothing and close).
            try await outbound.close(.normal, reason: "done")
            var received: [SyncMessage] = []
            do {
                for try await message in inbound {
                    if let parsed = try? SyncMessage(bytes: Array(buffer: message)) { received.append(parsed) }
                }
            } catch {}
            return received
        }
        #expect(got.isEmpty, "\(got)")
        let running = try await alice.node.inbox()
        #expect(running.map(\.name) == ["Bob"])
        #expect(await alice.node.status().entries > 0)
        let feeds = try await alice.node.feedHeads()
        #expect(feeds[feedToAlice.id] == nil)
        await alice.stop()
        await bob.stop()
    }
}
