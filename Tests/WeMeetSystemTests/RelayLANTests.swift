import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Mail carried by a mutual friend between real `wemeet node` processes on a simulated LAN
/// (Protocol.md §8.5): Alice and Bob are never up at the same time; Carol is.
@Suite("Relaying on a simulated LAN", .timeLimit(.minutes(3)))
struct RelayLANTests {
    /// The conversation with `friend` as the node of `home` shows it.
    static func messages(_ home: String, with friend: String) async throws -> [DirectMessage] {
        let list: MessageList = try await ControlClient(home: NodeHome(path: home)).get("/v1/messages/\(friend)")
        return list.messages
    }

    @Test func twentyMessagesReachAReaderWhoArrivesAfterTheWriterLeftThroughAMutualFriend() async throws {
        let lan = try SimulatedLAN(hosts: 3)
        let homes = ["Alice", "Bob", "Carol"].map { lan.homes.path + "/" + $0 }
        let (aliceHome, bobHome, carolHome) = (homes[0], homes[1], homes[2])
        try await makeFriends(homes, names: ["Alice", "Bob", "Carol"])
        let carol = try lan.startNode(on: "h3", home: carolHome)
        defer { carol.stop() }
        let alice = try lan.startNode(on: "h1", home: aliceHome)
        defer { alice.stop() }
        let dog = watchdog(after: .seconds(150)) { [alice, carol].map { $0.tail() }.joined(separator: "\n") }
        defer { dog.cancel() }
        try alice.awaitLine(containing: "peer connected", "name=Carol")
        try alice.awaitLine(containing: "listening on socket path")

        // Alice writes 20 messages to Bob, who is away, the last with a 2 MiB photo; each shows
        // "held by Carol", and Carol keeps the photo's blob, sealed.
        let photo = AttachmentFixtures.photo(2 << 20)
        let photoPath = lan.homes.path + "/beach.png"
        try Data(photo).write(to: URL(fileURLWithPath: photoPath))
        for index in 1...19 {
            let result = try wemeet("send", "Bob", "note \(index)", "--home", aliceHome)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let held = try await awaitEvent(carolHome, .attachmentComplete) {
            let result = try wemeet("send", "Bob", "note 20", "--file", photoPath, "--home", aliceHome)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let photoID = try #require(try await Self.messages(aliceHome, with: "Bob").last?.attachments?.first?.id)
        #expect(held.attachment == photoID)
        try await awaitState(aliceHome) { _ in
            let sent = try await Self.messages(aliceHome, with: "Bob")
            return sent.count == 20 && sent.allSatisfy { $0.heldBy == ["Carol"] && $0.status == .sent }
        } action: {
        }
        let shown = try wemeet("messages", "Bob", "--home", aliceHome)
        #expect(shown.stdout.contains("(sent, held by Carol)"), "\(shown.stdout)")
        let sent = try await Self.messages(aliceHome, with: "Bob")
        alice.stop()

        // Bob comes while only Carol is up: all 20, once, in order, via Carol.
        let started = ContinuousClock.now
        let bob = try lan.startNode(on: "h2", home: bobHome)
        defer { bob.stop() }
        try bob.awaitLine(containing: "listening on socket path")
        try await awaitState(bobHome) { client in
            guard try await Self.messages(bobHome, with: "Alice").count == 20 else { return false }
            let status: AttachmentStatus = try await client.get("/v1/attachments/\(photoID)")
            return status.state == .complete
        } action: {
        }
        print(
            "relay on a LAN: Bob had all 20 messages and the photo \(ContinuousClock.now - started) after his node started"
        )
        let got = try await Self.messages(bobHome, with: "Alice")
        #expect(got.map(\.id) == sent.map(\.id))
        #expect(got.allSatisfy { $0.via == "Carol" })
        let read = try wemeet("messages", "Alice", "--home", bobHome)
        #expect(read.stdout.contains("(via Carol)"), "\(read.stdout)")
        // Carol drops what Bob has, and holds all of Bob's receipts for Alice (`wemeet
        // messages` marked them read).
        let bobID = try nodeID(bobHome)
        let aliceID = try nodeID(aliceHome)
        let bobs: StoreFeedList = try await ControlClient(home: NodeHome(path: bobHome)).get("/v1/store/feeds")
        let receipts = try #require(bobs.feeds.first { $0.author == bobID && $0.kind == "direct" }?.head)
        try await awaitState(carolHome) { client in
            let held = (try await client.get("/v1/status") as NodeStatus).relay?.held ?? []
            return held.map(\.author) == [bobID] && held.first?.reader == aliceID && held.first?.head == receipts
        } action: {
        }
        bob.stop()

        // Alice, back while only Carol is up, sees them read, "delivered via Carol".
        let alice2 = try lan.startNode(on: "h1", home: aliceHome)
        defer { alice2.stop() }
        try alice2.awaitLine(containing: "listening on socket path")
        try await awaitState(aliceHome) { _ in
            try await Self.messages(aliceHome, with: "Bob").allSatisfy {
                $0.status == .read && $0.heldBy == nil && $0.via == "Carol"
            }
        } action: {
        }
        let back = try wemeet("messages", "Bob", "--home", aliceHome)
        #expect(back.stdout.contains("(read, delivered via Carol)"), "\(back.stdout)")
    }
}
