import Foundation
import Synchronization
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

/// Attachments between real `wemeet node` processes on a simulated LAN (Protocol.md §13).
@Suite("Attachments on a simulated LAN", .timeLimit(.minutes(4)))
struct AttachmentLANTests {
    /// `GET /v1/attachments` of the node of `home`.
    static func attachments(_ home: String) async throws -> AttachmentList {
        try await ControlClient(home: NodeHome(path: home)).get("/v1/attachments")
    }

    /// Free bytes on the file system holding `path`.
    static func freeBytes(_ path: String) -> Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// The test's progress, with the time, so a CI log that ends in a time limit says where.
    static func stage(_ text: String) {
        print("attachments on a LAN: \(Date().formatted(.iso8601)) \(text)")
    }

    @Test func a200MiBFileResumesAfterTheReceiverIsKilledHalfwayAndIsSentLessThanOneAndAHalfTimes() async throws {
        let lan = try SimulatedLAN(hosts: 2)
        // At the peak: Alice's blob, Bob's and the copy Bob saves (the source goes once sent).
        let free = Self.freeBytes(lan.homes.path)
        try #require(free > 800 << 20, "the test needs about 800 MiB free in \(lan.homes.path); \(free) bytes are")
        let (aliceHome, bobHome) = (lan.homes.path + "/Alice", lan.homes.path + "/Bob")
        try await makeFriends([aliceHome, bobHome], names: ["Alice", "Bob"])
        let alice = try lan.startNode(on: "h1", home: aliceHome)
        defer { alice.stop() }
        let bob = try lan.startNode(on: "h2", home: bobHome)
        defer { bob.stop() }
        // Bob's first node, then his second, as the watchdog should report them.
        let bobs = Mutex<[ChildProcess]>([bob])
        let dog = watchdog(after: .seconds(150)) {
            ([alice] + bobs.withLock { $0 }).map { $0.tail() }.joined(separator: "\n")
        }
        defer { dog.cancel() }
        try bob.awaitLine(containing: "peer connected", "name=Alice")
        Self.stage("Alice and Bob connected; Alice sends 200 MiB")
        let size = 200 << 20
        let bytes = Random.bytes(count: size)
        let source = lan.homes.path + "/film.mp4"
        try Data(bytes).write(to: URL(fileURLWithPath: source))

        // Over the automatic size: Bob's user asks for it, and Bob is killed halfway.
        let found = try await awaitEvent(bobHome, .attachmentFound) {
            let result = try wemeet("send", "Bob", "the film", "--file", source, "--home", aliceHome)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let id = try #require(found.attachment)
        try FileManager.default.removeItem(atPath: source)
        Self.stage("Bob found \(id); fetching until halfway")
        _ = try await awaitEvent(
            bobHome,
            where: { event in
                event.type == .attachmentProgress && event.attachment == id && (event.bytes ?? 0) >= UInt64(size / 2)
            }
        ) {
            let _: AttachmentStatus = try await ControlClient(home: NodeHome(path: bobHome)).post(
                "/v1/attachments/\(id)/fetch", json: [String: String]())
        }
        bob.stop(signal: SIGKILL)
        Self.stage("Bob killed halfway")
        let held = try FileManager.default.attributesOfItem(atPath: bobHome + "/blobs/\(id).part")
        #expect((held[.size] as? Int ?? 0) > 0, "the partial blob survives the kill")

        // Restarted, Bob goes on from the chunks it verified, by itself.
        let bob2 = try lan.startNode(on: "h2", home: bobHome)
        defer { bob2.stop() }
        bobs.withLock { $0.append(bob2) }
        try bob2.awaitLine(containing: "listening on socket path")
        Self.stage("Bob restarted; waiting for the rest")
        try await awaitState(bobHome) { client in
            let status: AttachmentStatus = try await client.get("/v1/attachments/\(id)")
            // A fetch stalled on a full disk waits for space: say so rather than wait forever.
            if let reason = status.reason, reason.contains("the disk is full") {
                throw SimulatedLANError(description: "Bob's fetch stalled: \(reason)")
            }
            return status.state == .complete
        } action: {
        }
        Self.stage("complete")
        let target = lan.homes.path + "/saved.mp4"
        let saved = try wemeet("attachment", "save", id, target, "--home", bobHome)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(bytes), "byte-identical")
        try FileManager.default.removeItem(atPath: target)
        let served = try await Self.attachments(aliceHome).servedBytes
        print("attachments: Alice sent \(served) bytes for a \(size)-byte file (\(Double(served) / Double(size))×)")
        #expect(served < UInt64(size) * 3 / 2, "Alice sent \(served) bytes for a \(size)-byte file")
    }
}
