import Foundation
import Testing
import WeMeetAttachments
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetGroups
import WeMeetModel
import WeMeetProcess
import WeMeetStore
import WeMeetTestSupport

@testable import WeMeetNode

/// Attachments between in-process nodes on loopback (Protocol.md §11), honest and hostile.
@Suite("Attachments (in-process)", .stopsNodes, .timeLimit(.minutes(3)))
struct AttachmentTests {
    static func stream(_ bytes: [UInt8]) -> AsyncStream<[UInt8]> { AttachmentFixtures.stream(bytes) }
    static func photo(_ count: Int) -> [UInt8] { AttachmentFixtures.photo(count) }

    /// The plaintext of a complete attachment, read chunk by chunk.
    static func contents(_ node: Node, _ id: String, size: UInt64) async throws -> [UInt8] {
        var out: [UInt8] = []
        for index in 0..<Blob.chunkCount(size: size) { out += try await node.attachmentChunk(id, index: index) }
        return out
    }

    @Test func aPhotoSentInADirectMessageArrivesByteIdentical() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let bytes = Self.photo(1_300_000)
        let uploaded = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "../beach.png")
        #expect(uploaded.name == "beach.png" && uploaded.mediaType == "image/png")
        #expect(uploaded.width == 640 && uploaded.height == 480)
        let complete = bob.node.events.subscribe()
        let sent = try await alice.node.sendMessage(to: "Bob", text: "the beach", attachments: [uploaded.id])
        #expect(sent.attachments == [uploaded])
        for await event in complete where event.type == .attachmentComplete && event.attachment == uploaded.id { break }
        #expect(try await Self.contents(bob.node, uploaded.id, size: uploaded.size) == bytes)
        let shown = try await bob.node.messages(with: "Alice")
        #expect(shown.last?.text == "the beach" && shown.last?.attachments == [uploaded])
        let list = try await bob.node.attachments()
        #expect(list.attachments.map(\.state) == [.complete])
        #expect(list.attachments.first?.from == alice.nodeID)
    }

    @Test func aStrangerCannotFetchABlobKnowingItsIDAndBadBlobMessagesAreRefused() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let bytes = Self.photo(300_000)
        let uploaded = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "secret.png")
        _ = try await alice.node.sendMessage(to: "Bob", text: "", attachments: [uploaded.id])
        let id = try BlobID(hex: uploaded.id)
        let stranger = try await HostilePeer.connect(port: alice.port, name: "Eve")
        try await stranger.send(BlobMessage.hashesGet(id, first: 0, count: 2).bytes)
        try await stranger.send(BlobMessage.chunkGet(id, first: 0, count: 2).bytes)
        let refusals = await stranger.waitUntil { HostilePeer.blobRefusals($0) == [.notAuthorised, .notAuthorised] }
        #expect(refusals)
        // Each request got a refusal, so neither a hash nor a chunk reached the stranger.
        // A malformed blob message closes that channel only; Bob is still served.
        try await stranger.send([0x22] + id.bytes + [0, 0, 0, 0, 0, 200])
        let reason = await stranger.waitUntilClosed()
        #expect(reason?.contains("CHUNK_GET asks for 200 chunks") == true)
        // Oversized, truncated, misshapen and unknown blob messages: each closes its channel
        // with the reason (decoding comes before any question of who asks).
        let bad: [([UInt8], String)] = [
            ([0x23] + id.bytes + [0, 0, 0, 0] + [UInt8](repeating: 7, count: Blob.chunkSize + 17), "a CHUNK of"),
            ([0x22] + id.bytes.prefix(10), "too short"),
            ([0x21] + id.bytes + [0, 0, 0, 0] + [UInt8](repeating: 1, count: 40), "HASHES carries 40 bytes"),
            ([0x24] + id.bytes + [0, 0, 0, 0, 2, 0xFF, 0xFF], "REFUSE's text length"),
            ([0x2F] + id.bytes + [0, 0, 0, 0], "unknown blob message type 0x2f"),
        ]
        for (message, why) in bad {
            let peer = try await HostilePeer.connect(port: alice.port, name: "Mallory")
            try await peer.send(message)
            let closed = await peer.waitUntilClosed()
            #expect(closed?.contains(why) == true, "\(why): \(String(describing: closed))")
        }
        let complete = bob.node.events.subscribe()
        let more = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "again.png")
        _ = try await alice.node.sendMessage(to: "Bob", text: "again", attachments: [more.id])
        for await event in complete where event.type == .attachmentComplete && event.attachment == more.id { break }
        #expect(try await Self.contents(bob.node, more.id, size: more.size) == bytes)
    }

    @Test func aCorruptedChunkIsRejectedFetchedAgainAndTheFileIsCorrect() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        // Over the automatic size: Bob fetches it only when asked.
        let bytes = Self.photo(9 << 20)
        let uploaded = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "big.png")
        let found = bob.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "big one", attachments: [uploaded.id])
        for await event in found where event.type == .attachmentFound && event.attachment == uploaded.id { break }
        #expect(try await bob.node.attachment(uploaded.id).state == .onDemand)
        // Alice goes away; Mallory holds her key and serves the blob, corrupting chunk 0 once.
        let aliceKey = alice.node.identity.privateKey
        let blobPath = homes[0].path + "/blobs/" + uploaded.id
        await alice.stop()
        try await bob.waitUntil { $0.peers.isEmpty }
        let sealed = try #require(FileManager.default.contents(atPath: blobPath)).map { $0 }
        let hashes = try #require(FileManager.default.contents(atPath: blobPath + ".hashes")).map { $0 }
        let id = try BlobID(hex: uploaded.id)
        let mallory = try await HostilePeer.connect(port: bob.port, key: aliceKey, name: "Alice")
        let bad = bob.node.events.subscribe()
        let done = bob.node.events.subscribe()
        _ = try await bob.node.fetchAttachment(uploaded.id)
        let server = Task {
            var answered = 0
            var corrupted = false
            while !Task.isCancelled {
                guard
                    let request = await mallory.first(
                        { item -> BlobMessage? in
                            guard case .other(let raw) = item, let message = try? BlobMessage(bytes: raw) else {
                                return nil
                            }
                            switch message {
                            case .hashesGet, .chunkGet: return message
                            default: return nil
                            }
                        }, skipping: answered)
                else { return }
                answered += 1
                switch request {
                case .hashesGet(_, let first, let count):
                    let end = min(hashes.count / 32, Int(first) + Int(count))
                    let list = (Int(first)..<end).map { Array(hashes[$0 * 32..<$0 * 32 + 32]) }
                    try? await mallory.send(BlobMessage.hashes(id, first: first, list).bytes)
                case .chunkGet(_, let first, _):
                    let index = Int(first)
                    let start = Int(Blob.offset(ofChunk: index))
                    var chunk = Array(sealed[start..<start + Blob.sealedLength(ofChunk: index, size: uploaded.size)])
                    if index == 0 && !corrupted {
                        corrupted = true
                        chunk[5] ^= 0x01
                    }
                    try? await mallory.send(BlobMessage.chunk(id, index: first, chunk).bytes)
                default: break
                }
            }
        }
        defer { server.cancel() }
        for await event in bad where event.type == .attachmentBadChunk { break }
        for await event in done where event.type == .attachmentComplete && event.attachment == uploaded.id { break }
        #expect(try await Self.contents(bob.node, uploaded.id, size: uploaded.size) == bytes)
    }

    @Test func anAttachmentPastAQuotaIsRefusedWithAReasonAndTheMessageStillArrives() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        var limits = try await bob.node.quotas()
        limits.authorBytes = 1 << 20
        _ = try await bob.node.setQuotas(limits)
        let bytes = Self.photo(2 << 20)
        let uploaded = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "huge.png")
        let stalled = bob.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "too big for you", attachments: [uploaded.id])
        for await event in stalled where event.type == .attachmentStalled && event.attachment == uploaded.id { break }
        let status = try await bob.node.attachment(uploaded.id)
        #expect(status.state == .refused)
        #expect(status.reason?.hasPrefix("quota author_bytes reached (1048576)") == true)
        #expect(try await bob.node.messages(with: "Alice").last?.text == "too big for you")
        // Later messages are not lost either.
        let received = bob.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "still here")
        for await event in received where event.type == .dmReceived && event.detail == "still here" { break }
    }

    @Test func aGroupMemberGetsTheAuthorsPhotoFromAnotherMemberWhileTheAuthorIsAway() async throws {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await GroupTests.start(
            ["Alice", "Bob", "Carol"], pairs: [(0, 1), (1, 2)], network: network)
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        let group = try await bob.node.createGroup(name: "Photos", isPublic: false)
        try await bob.node.invite("Alice", to: group.id)
        try await bob.node.invite("Carol", to: group.id)
        for member in [alice, carol] {
            try await member.waitUntilEvent { _ in
                (try? await member.node.groups().first.map { $0.role == .invited && $0.readable }) == true
            }
            _ = try await member.node.joinGroup(group.id)
        }
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.group(group.id).1.count { $0.role == .member }) == 3
        }
        // Carol is away when Alice posts; Alice is away when Carol comes back.
        await carol.stop()
        let bytes = Self.photo(700_000)
        let photo = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "summit.png")
        let bobGotIt = bob.node.events.subscribe()
        let post = try await alice.node.post("the summit", to: group.id, attachments: [photo.id])
        #expect(post.attachments == [photo])
        for await event in bobGotIt where event.type == .attachmentComplete && event.attachment == photo.id { break }
        await alice.stop()
        let carol2 = try await RunningNode.start(home: homes[2].path, name: "Carol", discovery: network)
        try await carol2.waitUntilEvent { _ in
            (try? await carol2.node.attachment(photo.id).state) == .complete
        }
        #expect(try await Self.contents(carol2.node, photo.id, size: photo.size) == bytes)
        let seen = try await carol2.node.posts(in: group.id)
        #expect(seen.first { $0.id == post.id }?.attachments == [photo])
        await carol2.stop()
    }

    /// Forwarding (client issue, §3) names the same blob in a new message, and makes this node
    /// the one its readers fetch it from: a blob not all here yet is refused with a reason, and
    /// nothing is sent; once here, it goes on without being uploaded again.
    @Test func aBlobIsForwardedOnlyOnceItIsAllOnThisNode() async throws {
        let network = InMemoryNetwork()
        let (alice, bob, homes) = try await DirectMessageTests.friends(network)
        defer { for home in homes { home.remove() } }
        _ = try await bob.node.setAutomaticAttachmentBytes(0)
        let bytes = Self.photo(64 << 10)
        let photo = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "beach.png")
        let found = bob.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "", attachments: [photo.id])
        for await event in found where event.type == .attachmentFound && event.attachment == photo.id { break }
        let before = try await bob.node.messages(with: "Alice").count
        do {
            _ = try await bob.node.sendMessage(to: "Alice", text: "look", attachments: [photo.id])
            Issue.record("a blob not on this node was forwarded")
        } catch {
            #expect(error.message.contains("fetch it before sending it on"), "\(error.message)")
        }
        #expect(try await bob.node.messages(with: "Alice").count == before)
        let complete = bob.node.events.subscribe()
        _ = try await bob.node.fetchAttachment(photo.id)
        for await event in complete where event.type == .attachmentComplete && event.attachment == photo.id { break }
        let forwarded = try await bob.node.sendMessage(to: "Alice", text: "look", attachments: [photo.id])
        #expect(forwarded.attachments?.map(\.id) == [photo.id])
        await alice.stop()
        await bob.stop()
    }

    @Test func theAutomaticSizeIsTheUsersSettingAndRaisingItFetchesWhatIsNowUnderIt() async throws {
        let network = InMemoryNetwork()
        let (alice, bob, homes) = try await DirectMessageTests.friends(network)
        defer { for home in homes { home.remove() } }
        #expect(try await bob.node.automaticAttachmentBytes() == 8 << 20)
        let big = Self.photo(9 << 20)
        let film = try await alice.node.upload(Self.stream(big), size: UInt64(big.count), name: "film.png")
        let found = bob.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "a film", attachments: [film.id])
        for await event in found where event.type == .attachmentFound && event.attachment == film.id { break }
        #expect(try await bob.node.attachment(film.id).state == .onDemand)
        // Raised past it: the film comes by itself.
        let complete = bob.node.events.subscribe()
        #expect(try await bob.node.setAutomaticAttachmentBytes(16 << 20) == 16 << 20)
        for await event in complete where event.type == .attachmentComplete && event.attachment == film.id { break }
        // Zero: not even a small photo comes by itself, and the setting survives a restart.
        _ = try await bob.node.setAutomaticAttachmentBytes(0)
        await #expect(throws: NodeError.self) { try await bob.node.setAutomaticAttachmentBytes(1 << 41) }
        await bob.stop()
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        #expect(try await bob2.node.automaticAttachmentBytes() == 0)
        try await bob2.waitUntil { $0.peers.count == 1 }
        let small = Self.photo(100_000)
        let photo = try await alice.node.upload(Self.stream(small), size: UInt64(small.count), name: "small.png")
        let arrived = bob2.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "small", attachments: [photo.id])
        for await event in arrived where event.type == .attachmentFound && event.attachment == photo.id { break }
        #expect(try await bob2.node.attachment(photo.id).state == .onDemand)
        await bob2.stop()
    }

    /// The refusals a hostile peer gets for the hash list and first chunk of blob `id`.
    static func refusals(
        asking port: Int, key: Ed25519.PrivateKey, name: String, for id: BlobID
    ) async throws
        -> [BlobMessage.Reason?]
    {
        let peer = try await HostilePeer.connect(port: port, key: key, name: name)
        defer { Task { await peer.close() } }
        try await peer.send(BlobMessage.hashesGet(id, first: 0, count: 2).bytes)
        try await peer.send(BlobMessage.chunkGet(id, first: 0, count: 1).bytes)
        // A refusal's reason, or `nil` for a hash list or chunk (served: the caller rejects it).
        let answer: @Sendable (HostilePeer.Received) -> BlobMessage.Reason?? = { item in
            guard case .other(let raw) = item, let message = try? BlobMessage(bytes: raw) else { return nil }
            switch message {
            case .refuse(_, _, let reason, _): return .some(reason)
            case .hashes, .chunk: return .some(nil)
            default: return nil
            }
        }
        var reasons: [BlobMessage.Reason?] = []
        for index in 0..<2 {
            guard let reason = await peer.first(answer, skipping: index) else { break }
            reasons.append(reason)
        }
        return reasons
    }

    @Test func aRemovedMemberAndAFriendOutsideTheGroupCannotFetchItsPhotoKnowingTheID() async throws {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await GroupTests.start(
            ["Alice", "Bob", "Carol"], pairs: [(0, 1), (0, 2)], network: network)
        defer { for home in homes { home.remove() } }
        let (alice, bob, carol) = (nodes[0], nodes[1], nodes[2])
        let group = try await alice.node.createGroup(name: "Hikers", isPublic: false)
        try await alice.node.invite("Bob", to: group.id)
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        _ = try await bob.node.joinGroup(group.id)
        try await alice.waitUntilEvent { _ in
            (try? await alice.node.group(group.id).1.count { $0.role == .member }) == 2
        }
        _ = try await alice.node.removeMember("Bob", from: group.id)
        let bytes = Self.photo(300_000)
        let photo = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "after.png")
        _ = try await alice.node.post("after Bob left", to: group.id, attachments: [photo.id])
        let id = try BlobID(hex: photo.id)
        // Bob (removed) is still served Alice's admin feed, to learn of his removal; Carol is
        // a friend who was never in the group. Both know the ID; neither gets a byte of it.
        let (bobKey, carolKey) = (bob.node.identity.privateKey, carol.node.identity.privateKey)
        await bob.stop()
        await carol.stop()
        try await alice.waitUntil { $0.peers.isEmpty }
        let removed = try await Self.refusals(asking: alice.port, key: bobKey, name: "Bob", for: id)
        #expect(removed == [.notAuthorised, .notAuthorised], "removed member: \(removed)")
        let outsider = try await Self.refusals(asking: alice.port, key: carolKey, name: "Carol", for: id)
        #expect(outsider == [.notAuthorised, .notAuthorised], "friend outside: \(outsider)")
        #expect(try await alice.node.attachments().servedBytes == 0)
    }

    /// Bob, removed from a group before he fetched its photo, DMs Alice (who holds it) a
    /// reference to the photo's blob: his own entry gives him no right to it (§13.3).
    @Test func aRemovedMemberWhoDMsTheHolderTheBlobsReferenceGetsNothing() async throws {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await GroupTests.start(["Alice", "Bob"], pairs: [(0, 1)], network: network)
        defer { for home in homes { home.remove() } }
        let (alice, bob) = (nodes[0], nodes[1])
        _ = try await bob.node.setAutomaticAttachmentBytes(0)
        let group = try await alice.node.createGroup(name: "Hikers", isPublic: false)
        try await alice.node.invite("Bob", to: group.id)
        try await bob.waitUntilEvent { _ in
            (try? await bob.node.groups().first.map { $0.role == .invited && $0.readable }) == true
        }
        _ = try await bob.node.joinGroup(group.id)
        let bytes = Self.photo(300_000)
        let photo = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "summit.png")
        _ = try await alice.node.post("the summit", to: group.id, attachments: [photo.id])
        try await bob.waitUntilEvent { _ in (try? await bob.node.attachment(photo.id).state) == .onDemand }
        _ = try await alice.node.removeMember("Bob", from: group.id)
        // Bob's DM names the blob, with the key he read while a member. (His node does not
        // forward a blob it does not hold; a hostile node writes the entry anyway.)
        let received = alice.node.events.subscribe()
        let running = try await bob.node.running()
        let reference = try await running.attachments.resolve(photo.id).reference
        _ = try await running.messages.send(
            "that photo?", attachments: [reference], to: try await bob.node.findFriend("Alice"))
        for await event in received where event.type == .dmReceived { break }
        let id = try BlobID(hex: photo.id)
        let bobKey = bob.node.identity.privateKey
        await bob.stop()
        try await alice.waitUntil { $0.peers.isEmpty }
        let answers = try await Self.refusals(asking: alice.port, key: bobKey, name: "Bob", for: id)
        #expect(answers == [.notAuthorised, .notAuthorised], "removed member with his own DM: \(answers)")
        #expect(try await alice.node.attachments().servedBytes == 0)
    }

    /// Mallory names Carol's coming photo first — its blob ID with a wrong size, then with a
    /// wrong key, `text/html` and `poisoned.html`: Carol's photo from Alice still
    /// arrives, is listed under Alice's name and type, and opens (§13.2: each entry owns its
    /// reference).
    @Test func aReferenceAnnouncedFirstWithAWrongKeyTypeOrSizeCannotPoisonAnotherEntrysPhoto() async throws {
        let network = InMemoryNetwork()
        let (nodes, homes) = try await GroupTests.start(
            ["Alice", "Carol", "Mallory"], pairs: [(0, 1), (1, 2)], network: network)
        defer { for home in homes { home.remove() } }
        let (alice, carol, mallory) = (nodes[0], nodes[1], nodes[2])
        let bytes = Self.photo(300_000)
        let photo = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "beach.png")
        let id = try BlobID(hex: photo.id)
        let running = try await mallory.node.running()
        let toCarol = try await mallory.node.findFriend("Carol")
        for (size, type, name) in [
            (photo.size * 3, "image/png", "wrong-size.png"), (photo.size, "text/html", "poisoned.html"),
        ] {
            let found = carol.node.events.subscribe()
            let poisoned = AttachmentReference(
                id: id, key: SymmetricKey(), size: size, type: type, name: name)
            _ = try await running.messages.send("", attachments: [poisoned], to: toCarol)
            for await event in found where event.type == .dmReceived { break }
        }
        let complete = carol.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Carol", text: "the beach", attachments: [photo.id])
        for await event in complete where event.type == .attachmentComplete && event.attachment == photo.id { break }
        let status = try await carol.node.attachment(photo.id)
        #expect(status.attachment.name == "beach.png" && status.attachment.mediaType == "image/png", "\(status)")
        #expect(try await Self.contents(carol.node, photo.id, size: photo.size) == bytes)
        // Each message still shows what its own entry said.
        let fromMallory = try await carol.node.messages(with: "Mallory").compactMap(\.attachments?.first?.name)
        #expect(fromMallory == ["wrong-size.png", "poisoned.html"])
        #expect(try await carol.node.messages(with: "Alice").last?.attachments?.first?.name == "beach.png")
    }

    /// Protocol.md §13.4: HASHES_GET and CHUNK_GET treat a range alike — the part that exists
    /// is answered, a range starting at or past the end gets one REFUSE 1 naming its first.
    @Test func rangesPastTheEndAreAnsweredInPartAndRefusedAlikeFromTheirEnd() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let bytes = [UInt8](repeating: 0x61, count: Blob.chunkSize + 1)
        let uploaded = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "two.bin")
        _ = try await alice.node.sendMessage(to: "Bob", text: "", attachments: [uploaded.id])
        try await bob.waitUntilEvent { _ in (try? await bob.node.attachment(uploaded.id).state) == .complete }
        let bobKey = bob.node.identity.privateKey
        try await bob.stop(seenBy: alice)
        let id = try BlobID(hex: uploaded.id)
        let peer = try await HostilePeer.connect(port: alice.port, key: bobKey, name: "Bob")
        defer { Task { await peer.close() } }
        try await peer.send(BlobMessage.hashesGet(id, first: 0, count: 5).bytes)
        try await peer.send(BlobMessage.chunkGet(id, first: 1, count: 3).bytes)
        try await peer.send(BlobMessage.hashesGet(id, first: 2, count: 1).bytes)
        try await peer.send(BlobMessage.chunkGet(id, first: 2, count: 2).bytes)
        let answer: @Sendable (HostilePeer.Received) -> BlobMessage? = { item in
            guard case .other(let raw) = item else { return nil }
            return try? BlobMessage(bytes: raw)
        }
        var seen: [BlobMessage] = []
        for index in 0..<4 {
            guard let message = await peer.first(answer, skipping: index) else { break }
            seen.append(message)
        }
        #expect(seen.count == 4, "\(seen)")
        guard seen.count == 4 else { return }
        if case .hashes(_, let first, let hashes) = seen[0] {
            #expect(first == 0 && hashes.count == 2)
        } else {
            Issue.record("HASHES_GET 0+5 on 2 chunks: \(seen[0])")
        }
        if case .chunk(_, let index, _) = seen[1] { #expect(index == 1) } else { Issue.record("\(seen[1])") }
        for refusal in seen[2...] {
            if case .refuse(_, let index, let reason, _) = refusal {
                #expect(index == 2 && reason == .malformed)
            } else {
                Issue.record("a range past the end: \(refusal)")
            }
        }
    }

    /// A moment with a photo, read by a friend: the photo arrives (the author holds it and is
    /// online), byte for byte.
    @Test func aMomentsPhotoReachesAFriend() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let bytes = Self.photo(200_000)
        let photo = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "beach.png")
        let complete = bob.node.events.subscribe()
        _ = try await alice.node.postMoment("at the beach", attachments: [photo.id])
        for await event in complete where event.type == .attachmentComplete && event.attachment == photo.id { break }
        #expect(try await Self.contents(bob.node, photo.id, size: photo.size) == bytes)
        #expect(try await bob.node.moments().first?.attachments?.first?.id == photo.id)
    }

    /// A public group's photo seen in Discover by a friend of its author who is not a member,
    /// then after joining: it arrives in both, and a photo posted before the join is listed
    /// and arrives too.
    @Test func aPublicGroupsPhotoArrivesInDiscoverAndAfterJoining() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        let group = try await alice.node.createGroup(name: "Open Trail", isPublic: true)
        let first = Self.photo(150_000)
        let before = try await alice.node.upload(Self.stream(first), size: UInt64(first.count), name: "trail.png")
        let complete = bob.node.events.subscribe()
        _ = try await alice.node.post("the trail", to: group.id, attachments: [before.id])
        for await event in complete where event.type == .attachmentComplete && event.attachment == before.id { break }
        #expect(try await Self.contents(bob.node, before.id, size: before.size) == first)
        #expect(try await bob.node.discover().first?.attachments?.first?.id == before.id)
        _ = try await bob.node.joinGroup(group.id)
        let second = Self.photo(160_000)
        let after = try await alice.node.upload(Self.stream(second), size: UInt64(second.count), name: "summit.png")
        let more = bob.node.events.subscribe()
        _ = try await alice.node.post("the summit", to: group.id, attachments: [after.id])
        for await event in more where event.type == .attachmentComplete && event.attachment == after.id { break }
        let listed = try await bob.node.attachments().attachments.map(\.attachment.id)
        #expect(listed.contains(before.id) && listed.contains(after.id))
        let posts = try await bob.node.posts(in: group.id)
        #expect(posts.compactMap { $0.attachments?.first?.id } == [before.id, after.id])
    }

    /// Alice sends Bob a 24 MiB film and goes; a peer with her key serves Bob the first half
    /// of it, once Bob asks, and then answers no more. The nodes, Bob's network, the film's
    /// bytes and attachment, the half-serving peer and the homes.
    static func halfServed() async throws -> (
        bob: RunningNode, network: InMemoryNetwork, bytes: [UInt8], file: WeMeetModel.Attachment,
        partial: HostilePeer, homes: [TemporaryDirectory]
    ) {
        let network = InMemoryNetwork()
        let (alice, bob, homes) = try await DirectMessageTests.friends(network)
        let bytes = Self.photo(24 << 20)
        let file = try await alice.node.upload(Self.stream(bytes), size: UInt64(bytes.count), name: "film.mp4")
        let found = bob.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "the film", attachments: [file.id])
        for await event in found where event.type == .attachmentFound && event.attachment == file.id { break }
        let aliceKey = alice.node.identity.privateKey
        let blobPath = homes[0].path + "/blobs/" + file.id
        await alice.stop()
        try await bob.waitUntil { $0.peers.isEmpty }
        let sealed = try #require(FileManager.default.contents(atPath: blobPath)).map { $0 }
        let hashes = try #require(FileManager.default.contents(atPath: blobPath + ".hashes")).map { $0 }
        let partial = try await HostilePeer.connect(port: bob.port, key: aliceKey, name: "Alice")
        _ = try await bob.node.fetchAttachment(file.id)
        try await partial.serveFirstHalf(of: file, sealed: sealed, hashes: hashes)
        return (bob, network, bytes, file, partial, homes)
    }

    @Test func aFetchStoppedHalfwayResumesAfterARestartFromTheChunksAlreadyHeld() async throws {
        // Alice goes; a peer with her key serves the first half only, then Bob stops.
        let (bob, network, bytes, file, partial, homes) = try await Self.halfServed()
        defer { for home in homes { home.remove() } }
        await bob.stop()
        await partial.close()
        let alice2 = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: network)
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        // Asked for before the restart: the fetch goes on by itself, from what Bob holds.
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.attachment(file.id).state) == .complete }
        #expect(try await Self.contents(bob2.node, file.id, size: file.size) == bytes)
        let served = try await alice2.node.attachments().servedBytes
        // At most the second half and one window: far less than the whole file again.
        #expect(served <= Blob.sealedSize(size: file.size) * 2 / 3, "Alice served \(served) of \(file.size)")
        await bob2.stop()
        await alice2.stop()
    }

    /// Cancel (client issue §2: transfers show speed, time left and cancel): a fetch stopped
    /// halfway by the user stays stopped, across a restart too; asked again, it goes on from
    /// the chunks already held.
    @Test func aCancelledFetchStaysStoppedAndASaveLaterGoesOnFromWhatArrived() async throws {
        let (bob, network, bytes, file, partial, homes) = try await Self.halfServed()
        defer { for home in homes { home.remove() } }
        let cancelled = bob.node.events.subscribe()
        let stopped = try await bob.node.cancelAttachmentFetch(file.id)
        #expect(stopped.state == .onDemand)
        for await event in cancelled where event.type == .attachmentCancelled {
            #expect(event.attachment == file.id)
            break
        }
        await partial.close()
        await bob.stop()
        // After a restart, with Alice back, it is not fetched by itself: the user said stop.
        let alice2 = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: network)
        let bob2 = try await RunningNode.start(home: homes[1].path, name: "Bob", discovery: network)
        try await bob2.waitUntil { $0.peers.count == 1 }
        #expect(try await bob2.node.attachment(file.id).state == .onDemand)
        // Saved later: it goes on from the half already here.
        _ = try await bob2.node.fetchAttachment(file.id)
        try await bob2.waitUntilEvent { _ in (try? await bob2.node.attachment(file.id).state) == .complete }
        #expect(try await Self.contents(bob2.node, file.id, size: file.size) == bytes)
        let served = try await alice2.node.attachments().servedBytes
        #expect(served <= Blob.sealedSize(size: file.size) * 2 / 3, "Alice served \(served) of \(file.size)")
        // Nothing left to cancel once it is here.
        await #expect(throws: NodeError.self) { try await bob2.node.cancelAttachmentFetch(file.id) }
        await bob2.stop()
        await alice2.stop()
    }
}
