import Foundation
import Testing
import WeMeetDiscovery
import WeMeetModel
import WeMeetNode
import WeMeetTestSupport

/// Views page back through history with a cursor (API.md, "Paging"): every message or post
/// once, in order, whatever the page size; the inbox counts from the node's counts, which
/// follow new messages.
@Suite("Paging views", .stopsNodes, .timeLimit(.minutes(2)))
struct PagingTests {
    /// The shape of one feed's counts in `HOME/inbox-counts`.
    struct AnyCounts: Codable {
        var scanned: UInt64
        var others: [UInt64]
    }

    @Test func scrollingBackThroughAConversationListsEveryMessageOnceInOrder() async throws {
        let (alice, bob, homes) = try await DirectMessageTests.friends()
        defer { for home in homes { home.remove() } }
        for i in 0..<45 {
            _ = try await alice.node.sendMessage(to: "Bob", text: "a\(i)")
            if i % 3 == 0 { _ = try await bob.node.sendMessage(to: "Alice", text: "b\(i)") }
        }
        try await alice.waitUntilEvent { _ in (try? await alice.node.messages(with: "Bob").count) == 60 }
        let all = try await alice.node.messages(with: "Bob")
        var pages: [[DirectMessage]] = []
        var cursor: PageCursor?
        repeat {
            let page = try await alice.node.messagePage(with: "Bob", before: cursor, limit: 7)
            #expect(page.messages.count == 7 || page.earlier == nil)
            pages.insert(page.messages, at: 0)
            cursor = page.earlier
        } while cursor != nil
        #expect(pages.flatMap { $0 }.map(\.id) == all.map(\.id))
        #expect(pages.count == 9)  // 60 messages, 7 a page
        // The inbox counts Bob's 15 messages unread, then none once read; 60 in all.
        let inbox = try #require(try await alice.node.inbox().first)
        #expect(inbox.messages == 60 && inbox.unread == 15 && inbox.last?.id == all.last?.id)
        try await alice.node.markRead("Bob")
        _ = try await bob.node.sendMessage(to: "Alice", text: "one more")
        try await alice.waitUntilEvent { _ in (try? await alice.node.inbox().first?.unread) == 1 }
        #expect(try await alice.node.inbox().first?.messages == 61)
        // Restarted, the node starts from the counts it kept, and they still add up.
        await alice.stop()
        await RunningNode.waitUntilStoreIsFree(home: homes[0].path)
        #expect(FileManager.default.fileExists(atPath: NodeHome(path: homes[0].path).inboxCountsPath))
        let again = try await RunningNode.start(home: homes[0].path, name: "Alice", discovery: InMemoryNetwork())
        let counted = try #require(try await again.node.inbox().first)
        #expect(counted.messages == 61 && counted.unread == 1, "\(counted)")
        // A counts file that is garbage, or that does not add up, is not believed.
        await again.stop()
        let path = NodeHome(path: homes[0].path).inboxCountsPath
        let feeds = try JSONDecoder().decode(
            [String: AnyCounts].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        for file in [
            Data("garbage{".utf8),
            try JSONEncoder().encode(feeds.mapValues { _ in AnyCounts(scanned: 10_000, others: [5, 3, 99_999]) }),
            try JSONEncoder().encode(feeds.mapValues { _ in AnyCounts(scanned: 2, others: [1, 2, 3]) }),
        ] {
            await RunningNode.waitUntilStoreIsFree(home: homes[0].path)
            try file.write(to: URL(fileURLWithPath: path))
            let restarted = try await RunningNode.start(
                home: homes[0].path, name: "Alice", discovery: InMemoryNetwork())
            let recounted = try #require(try await restarted.node.inbox().first)
            #expect(recounted.messages == 61 && recounted.unread == 1, "\(recounted)")
            await restarted.stop()
        }
        await bob.stop()
    }

    @Test func groupPostsAndTheFeedPageBackWithTheirCursor() async throws {
        let (nodes, homes) = try await GroupTests.start(["Alice", "Bob"], pairs: [(0, 1)])
        defer { for home in homes { home.remove() } }
        let alice = nodes[0]
        let group = try await alice.node.createGroup(name: "Pages", isPublic: true)
        for i in 0..<25 { _ = try await alice.node.post("post \(i)", to: group.id) }
        for i in 0..<5 { _ = try await alice.node.postMoment("moment \(i)") }
        var texts: [String] = []
        var cursor: PageCursor?
        repeat {
            let page = try await alice.node.postPage(in: group.id, before: cursor, limit: 10)
            texts.insert(contentsOf: page.posts.compactMap(\.text), at: 0)
            cursor = page.earlier
        } while cursor != nil
        #expect(texts == (0..<25).map { "post \($0)" })
        var feed: [String] = []
        repeat {
            let page = try await alice.node.feedPage(before: cursor, limit: 4)
            feed += page.posts.compactMap(\.text)
            cursor = page.earlier
        } while cursor != nil
        #expect(feed == ((0..<25).map { "post \($0)" } + (0..<5).map { "moment \($0)" }).reversed())
        await #expect(throws: NodeError.self) { try await alice.node.feedPage(limit: 0) }
        for node in nodes { await node.stop() }
    }
}
