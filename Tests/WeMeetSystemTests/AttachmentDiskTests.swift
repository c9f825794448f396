import Foundation
import Testing
import WeMeetDiscovery
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A fetch that fills the disk (Protocol.md §13.5): Bob's home is a small tmpfs of its own.
@Suite("Attachments on a full disk", .stopsNodes, .timeLimit(.minutes(2)))
struct AttachmentDiskTests {
    /// Free bytes on the file system holding `path`.
    static func freeBytes(_ path: String) -> Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    @Test func aFetchThatFillsTheDiskStallsWithAClearErrorKeepsItsPartAndResumesWhenSpaceIsFreed() async throws {
        try #require(getuid() == 0, "mounting a small tmpfs home needs root (CI runs as root)")
        let (aliceHome, bobHome) = (try TemporaryDirectory(), try TemporaryDirectory())
        defer { aliceHome.remove() }
        let mounted = try Spawn.run("/bin/mount", ["-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", bobHome.path])
        try #require(mounted.status == 0, "mount: \(mounted.stderr)")
        defer {
            _ = try? Spawn.run("/bin/umount", [bobHome.path])
            bobHome.remove()
        }
        let network = InMemoryNetwork()
        let alice = try await RunningNode.start(home: aliceHome.path, name: "Alice", discovery: network)
        let bob = try await RunningNode.start(home: bobHome.path, name: "Bob", discovery: network)
        for node in [alice, bob] { try await node.waitUntilRadar { $0.nearby.count == 1 } }
        async let first = RunningNode.press(alice, target: bob.nodeID.description)
        async let second = RunningNode.press(bob, target: alice.nodeID.description)
        let (x, y) = try await (first, second)
        try #require(x.type == .pairPaired && y.type == .pairPaired, "\(x) \(y)")
        try await RunningNode.waitUntil(alice, bob) { $0.peers.count == 1 && $1.peers.count == 1 }

        // Leave Bob 3 MB: a 6 MB photo (under the automatic size) does not fit.
        let filler = bobHome.path + "/filler"
        let room = Self.freeBytes(bobHome.path) - 3_000_000
        try #require(room > 0)
        try Data(count: room).write(to: URL(fileURLWithPath: filler))
        let bytes = AttachmentFixtures.photo(6_000_000)
        let photo = try await alice.node.upload(
            AttachmentFixtures.stream(bytes), size: UInt64(bytes.count), name: "wide.png")
        let stalled = bob.node.events.subscribe()
        _ = try await alice.node.sendMessage(to: "Bob", text: "a wide one", attachments: [photo.id])
        let stall = await stalled.first { $0.type == .attachmentStalled && $0.attachment == photo.id }
        #expect(stall?.detail?.contains("the disk is full") == true, "\(String(describing: stall))")
        let status = try await bob.node.attachment(photo.id)
        #expect(status.state != .complete)
        #expect(
            status.reason?.contains("the disk is full") == true && status.reason?.contains("resumes") == true,
            "\(String(describing: status.reason))")
        let part = bobHome.path + "/blobs/" + photo.id + ".part"
        #expect(FileManager.default.fileExists(atPath: part), "the partial blob is kept")

        // Space returns: the fetch goes on by itself and the photo is whole.
        let complete = bob.node.events.subscribe()
        try FileManager.default.removeItem(atPath: filler)
        _ = await complete.first { $0.type == .attachmentComplete && $0.attachment == photo.id }
        var contents: [UInt8] = []
        let chunks = (bytes.count + bob.node.attachmentChunkSize - 1) / bob.node.attachmentChunkSize
        for index in 0..<chunks { contents += try await bob.node.attachmentChunk(photo.id, index: index) }
        #expect(contents == bytes)
        #expect(try await bob.node.messages(with: "Alice").last?.text == "a wide one")
        await bob.stop()
        await alice.stop()
    }
}
