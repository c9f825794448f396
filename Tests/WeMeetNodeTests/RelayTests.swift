import Foundation
import Testing
import WeMeetAttachments
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetProcess
import WeMeetStore
import WeMeetTestSupport

@testable import WeMeetNode

/// Mail carried by mutual friends (Protocol.md §8.5): Alice writes to Bob while he is away,
/// Carol — a friend of both — holds it and gives it to Bob when he comes, and his receipts
/// go back to Alice the same way, though Alice and Bob are never online together.
@Suite(.timeLimit(.minutes(2)))
struct RelayTests {
    /// Alice, Bob and Carol, friends pairwise, once Alice knows Carol relays for Bob and
    /// Carol knows Bob has Alice (FRIENDS, §8.5). Nothing of a running node is kept (it would
    /// keep its store open for a restart).
    static func aliceBobAndCarol() async throws -> (InMemoryNetwork, [RunningNode], [TemporaryDirectory]) {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await GroupTests.start(
            ["Alice", "Bob", "Carol"], pairs: [(0, 1), (0, 2), (1, 2)], network: network)
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        try await RunningNode.waitUntilEvent(nodes) {
            let carols = try? await carol.node.running().mutual
            guard await carols?.said(by: alice.nodeID)?.friends == [bob.nodeID],
                await carols?.says(bob.nodeID, hasFriend: alice.nodeID) == true
            else { return false }
            return await (try? alice.node.running().mutual)?.relays(carol.nodeID, for: bob.nodeID) == true
        }
        return (network, nodes, homes)
    }

    /// Returns once `reader` has written `writer` a receipt that `written` accepts and
    /// `relay` holds all of its receipts for `writer` (so `reader` may leave).
    static func receiptsHeld(
        from reader: RunningNode, for writer: NodeID, by relay: RunningNode,
        _ written: @escaping @Sendable (DirectMessages.Receipt) -> Bool
    ) async throws {
        let receipts = Feed(
            author: reader.nodeID.publicKey, kind: .direct, audience: writer.publicKey.rawRepresentation)
        let (readers, relays) = (try await reader.node.running(), try await relay.node.running())
        try await RunningNode.waitUntilEvent([reader, relay]) {
            guard written(await readers.messages.receiptWritten(to: writer)) else { return false }
            let head = await readers.store.head(of: receipts.id)
            return await relays.relay.head(of: receipts.id) == head
        }
    }

    @Test func aMutualFriendCarriesMessagesAndReceiptsBetweenTwoWhoNeverMeet() async throws {
        let (network, nodes, homes) = try await Self.aliceBobAndCarol()
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        try await bob.stop(seenBy: carol)
        var sent: [DirectMessage] = []
        for index in 1...19 { sent.append(try await alice.node.sendMessage(to: "Bob", text: "note \(index)")) }
        // The 20th carries a 2 MiB photo: Carol is asked to keep its blob too (HOLD), sealed.
        let photo = AttachmentFixtures.photo(2 << 20)
        let uploaded = try await alice.node.upload(
            AttachmentFixtures.stream(photo), size: UInt64(photo.count), name: "beach.png")
        let carolHas = carol.node.events.subscribe()
        sent.append(try await alice.node.sendMessage(to: "Bob", text: "note 20", attachments: [uploaded.id]))
        for await event in carolHas where event.type == .attachmentComplete && event.attachment == uploaded.id { break }
        // Carol lists no attachment (she holds one she cannot open).
        #expect(try await carol.node.attachments().attachments.isEmpty)
        // Carol holds Alice's mail for Bob, and cannot read it.
        let mail = Feed(author: alice.nodeID.publicKey, kind: .direct, audience: bob.nodeID.publicKey.rawRepresentation)
        let carolsHold = try await carol.node.running().relay
        try await carol.waitUntilEvent { _ in await carolsHold.head(of: mail.id) == 20 }
        #expect(await carol.node.status().relay?.feeds == 1)
        // Alice sees each message "held by Carol" (for Bob), once Carol has it durable.
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.messages(with: "Bob").allSatisfy { $0.heldBy == ["Carol"] }) == true
        }
        #expect(try await carol.node.messages(with: "Alice").isEmpty)
        await alice.stop()

        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.messages(with: "Alice").count) == 20 }
        let got = try await bob2.node.messages(with: "Alice")
        #expect(got.map(\.text) == sent.map(\.text))
        #expect(got.map(\.id) == sent.map(\.id))
        #expect(got.allSatisfy { $0.via == "Carol" })
        // The photo comes from Carol too, and opens.
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.attachment(uploaded.id).state) == .complete }
        let running = try await bob2.node.running()
        let first = try await running.attachments.plaintext(try BlobID(hex: uploaded.id), chunk: 0)
        #expect(first == Array(photo.prefix(first.count)))
        // Bob's node told Carol it has them: she drops what she held.
        try await carol.waitUntilEvent { _ in await !carolsHold.holds(mail.id) }
        try await bob2.node.markRead("Alice")
        // Bob's receipts wait at Carol for Alice — the read one too; Bob leaves before Alice returns.
        try await Self.receiptsHeld(from: bob2, for: alice.nodeID, by: carol) { $0.read == 20 }
        await bob2.stop()
        let alice2 = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: network)
        try await alice2.waitUntilEvent { _ in
            (try? await alice2.node.messages(with: "Bob").allSatisfy { $0.status == .read }) == true
        }
        await alice2.stop()
        await carol.stop()
    }
}

extension RelayTests {
    /// A relay met only after the message was sent still keeps its photo (HOLD when they
    /// meet), across its own restart; the reader gets both from it; the writer, back later,
    /// sees the message "delivered via Carol", across its restart too; the relay keeps the
    /// blob after the reader acknowledged the entries (the reader may still be fetching)
    /// and drops it 7 days on by its own clock.
    @Test func aRelayMetAfterSendingKeepsThePhotoUntilTheHoldTimeAndTheWriterSeesDeliveredVia() async throws {
        let (network, nodes, homes) = try await Self.aliceBobAndCarol()
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        try await bob.stop(seenBy: carol)
        try await carol.stop(seenBy: alice)
        let photo = AttachmentFixtures.photo(256 << 10)
        let uploaded = try await alice.node.upload(
            AttachmentFixtures.stream(photo), size: UInt64(photo.count), name: "beach.png")
        let sent = try await alice.node.sendMessage(to: "Bob", text: "look", attachments: [uploaded.id])
        let blobFile = homes[2].path + "/blobs/" + uploaded.id
        let mail = Feed(author: alice.nodeID.publicKey, kind: .direct, audience: bob.nodeID.publicKey.rawRepresentation)

        // Carol comes after the message was sent: Alice asks her to hold the photo then.
        let hands = RelayHoldTests.Hands(Date())
        let carol2 = try await RunningNode.start(
            home: homes[2].path, name: "Carol", discovery: network, clock: hands.clock)
        let held2 = try await carol2.node.running().relay
        try await carol2.waitUntilEvent { _ in
            await held2.head(of: mail.id) == 1 && FileManager.default.fileExists(atPath: blobFile)
        }
        // Her hold of the blob outlives her restart.
        await carol2.stop()
        await RunningNode.waitUntilStoreIsFree(home: homes[2].path)
        let carol3 = try await RunningNode.start(
            home: homes[2].path, name: "Carol", discovery: network, clock: hands.clock)
        try await alice.stop(seenBy: carol3)

        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        try await bob2.waitUntilEvent { _ in
            (try? await bob2.node.attachment(uploaded.id).state) == .complete
        }
        let got = try await bob2.node.messages(with: "Alice")
        #expect(got.map(\.id) == [sent.id])
        #expect(got.first?.via == "Carol")
        let opened = try await bob2.node.running().attachments.plaintext(try BlobID(hex: uploaded.id), chunk: 0)
        #expect(opened == Array(photo.prefix(opened.count)))
        // Bob has the entries: Carol drops them, and keeps the blob until the hold time.
        let held3 = try await carol3.node.running().relay
        try await carol3.waitUntilEvent { _ in await !held3.holds(mail.id) }
        #expect(FileManager.default.fileExists(atPath: blobFile))
        // Bob's delivered-receipt waits at Carol for Alice.
        try await Self.receiptsHeld(from: bob2, for: alice.nodeID, by: carol3) { $0.delivered == 1 }
        await bob2.stop()

        // Alice, back while only Carol is up, sees it "delivered via Carol" — after a restart too.
        let alice2 = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: network)
        try await alice2.waitUntilEvent { _ in
            (try? await alice2.node.messages(with: "Bob").first.map { $0.status == .delivered && $0.via == "Carol" })
                == true
        }
        await alice2.stop()
        await RunningNode.waitUntilStoreIsFree(home: homes[0].path)
        let alice3 = try await RunningNode.start(home: homes[0].path, name: "Alice")
        #expect(try await alice3.node.messages(with: "Bob").first?.via == "Carol")
        await alice3.stop()

        // Seven days and a bit on, by Carol's clock, the blob is gone.
        hands.advance(7 * 24 * 3600 + 60)
        let running = try await carol3.node.running()
        await Node.expireHeld(
            relay: running.relay, attachments: running.attachments, clock: hands.clock, relaying: true)
        #expect(!FileManager.default.fileExists(atPath: blobFile))
        await carol3.stop()
    }
}
