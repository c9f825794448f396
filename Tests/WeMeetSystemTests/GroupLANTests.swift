import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetSync
import WeMeetTestSupport

/// WeMeet Group on a simulated LAN: real `wemeet node` processes with real avahi-daemons,
/// driven by the `wemeet` commands a user types.
@Suite("Groups on a simulated LAN", .timeLimit(.minutes(3)))
struct GroupLANTests {
    @Test func publicAndPrivateGroupsMomentsAndTheFeedThroughTheCLI() async throws {
        let lan = try SimulatedLAN(hosts: 3)
        let homes = try ["Alice", "Bob", "Dave"].map { try lan.makeHome($0) }
        let ids = try homes.map(nodeID)
        let nodes = try zip(["h1", "h2", "h3"], homes).map { try lan.startNode(on: $0, home: $1) }
        defer { for node in nodes { node.stop() } }
        try awaitEveryoneSeesEveryone(nodes, ids: ids)
        // Alice–Bob and Bob–Dave are friends; Alice and Dave are not.
        for (a, b) in [(0, 1), (1, 2)] {
            async let first = pressViaAPI(homes[a], with: ids[b].description)
            async let second = pressViaAPI(homes[b], with: ids[a].description)
            let (x, y) = try await (first, second)
            try #require(x.type == .pairPaired && y.type == .pairPaired, "\(x) \(y)")
        }
        let (alice, bob, dave) = (homes[0], homes[1], homes[2])

        // A public group: Bob discovers Alice's post and joins from there.
        let created = try wemeet("group", "create", "Park run", "--public", "--home", alice)
        #expect(created.status == 0 && created.stdout.contains("created public group Park run"), "\(created.stderr)")
        _ = try await awaitEvent(bob, .discoverPost) {
            let result = try wemeet("post", "Park run", "5k on Sunday", "--home", alice)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let discovered = try wemeet("discover", "--home", bob)
        #expect(discovered.stdout.contains("Alice in Park run: 5k on Sunday"), "\(discovered.stdout)")
        #expect(try wemeet("group", "join", "Park run", "--home", bob).stdout.contains("joined Park run"))
        // Dave sees his friend Bob's post, joins, and then gets Alice's posts too.
        _ = try await awaitEvent(dave, .discoverPost) {
            let result = try wemeet("post", "Park run", "count me in", "--home", bob)
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try wemeet("discover", "--home", dave).stdout.contains("Bob in Park run: count me in"))
        #expect(try wemeet("group", "join", "Park run", "--home", dave).status == 0)
        _ = try await awaitEvent(dave, .groupPost, matching: { $0.detail == "meet at the gate" }) {
            let result = try wemeet("post", "Park run", "meet at the gate", "--home", alice)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let feed = try wemeet("feed", "--json", "--home", dave)
        let texts = (try JSONSerialization.jsonObject(with: Data(feed.stdout.utf8)) as? [String: Any])
            .flatMap { $0["posts"] as? [[String: Any]] }?.compactMap { $0["text"] as? String }
        #expect(texts?.first == "meet at the gate" && texts?.count == 3, "\(feed.stdout)")

        // The hide setting, as a user sees it.
        let hide = try wemeet("settings", "hide-public-posts", "on", "--home", bob)
        #expect(hide.status == 0 && hide.stdout.contains("hide-public-posts: on"), "\(hide.stderr)")
        #expect(try wemeet("settings", "--home", bob).stdout.contains("hide-public-posts: on"))
        #expect(try wemeet("settings", "hide-public-posts", "maybe", "--home", bob).status != 0)

        // A private group: invited, accepted, and a chat fed from a pipe.
        #expect(try wemeet("group", "create", "Hikers", "--home", alice).status == 0)
        try await awaitState(bob) { client in
            let groups: [String: [GroupSummary]] = try await client.get("/v1/groups")
            return groups["groups"]?.contains { $0.name == "Hikers" && $0.role == .invited && $0.readable } == true
        } action: {
            let result = try wemeet("group", "invite", "Hikers", "Bob", "--home", alice)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let invitation = try wemeet("group", "list", "--home", bob).stdout
        #expect(
            invitation.contains("invited by Alice") && invitation.contains("wemeet group join Hikers"), "\(invitation)")
        #expect(try wemeet("group", "invite", "Hikers", "Dave", "--home", bob).stderr.contains("only an admin"))
        #expect(try wemeet("group", "join", "Hikers", "--home", bob).status == 0)
        _ = try await awaitEvent(alice, .groupPost, matching: { $0.detail == "second line" }) {
            let chat = try wemeet(["chat", "Hikers", "--home", bob], input: "first line\nsecond line\n")
            #expect(chat.status == 0, "\(chat.stderr)")
        }
        let shown = try wemeet("group", "show", "Hikers", "--home", alice)
        #expect(shown.stdout.contains("Bob: first line") && shown.stdout.contains("Bob (admin)") == false)
        // A comment on Bob's post, and a reply to that comment: each under the one it answers.
        let first = try #require(shown.stdout.split(separator: "\n").first { $0.contains("Bob: first line") })
        let firstID = String(try #require(first.split(separator: "#").last))
        let comment = try wemeet("post", "Hikers", "a comment", "--reply", firstID, "--json", "--home", alice)
        let commentID = try ControlJSON.decoder.decode(FeedPost.self, from: Data(comment.stdout.utf8)).id
        #expect(try wemeet("post", "Hikers", "a reply to it", "--reply", commentID, "--home", alice).status == 0)
        let thread = try wemeet("group", "show", "Hikers", "--home", alice).stdout.split(separator: "\n")
        let at = { (text: String) in thread.firstIndex { $0.contains(text) } ?? -1 }
        #expect(at("first line") < at("a comment") && at("a comment") < at("a reply to it"), "\(thread)")
        #expect(
            thread[max(0, at("a comment"))].hasPrefix("  [") && thread[max(0, at("a reply to it"))].hasPrefix("    ["))
        #expect(try wemeet("discover", "--home", dave).stdout.contains("Hikers") == false)
        #expect(try wemeet("group", "show", "Hikers", "--home", dave).stderr.contains("no group called Hikers"))

        // Bob is removed: what Alice posts next reaches him sealed under a key he lacks.
        let removal = try wemeet("group", "remove", "Hikers", "Bob", "--home", alice)
        #expect(removal.status == 0 && removal.stdout.contains("new posts use a key they do not have"))
        _ = try await awaitEvent(bob, .groupPost, matching: { $0.detail == nil }) {
            let result = try wemeet("post", "Hikers", "after Bob left", "--home", alice)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let bobView = try wemeet("group", "show", "Hikers", "--home", bob)
        #expect(
            bobView.stdout.contains("removed") && bobView.stdout.contains("cannot be read here"), "\(bobView.stdout)")
        #expect(!bobView.stdout.contains("after Bob left"))
        #expect(try wemeet("post", "Hikers", "hello?", "--home", bob).stderr.contains("not a member"))

        // Moments reach friends only.
        _ = try await awaitEvent(bob, .momentsPost) {
            let result = try wemeet("moments", "post", "sunny", "today", "--home", alice)
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try wemeet("moments", "--home", bob).stdout.contains("Alice: sunny today"))
        #expect(try wemeet("moments", "--home", dave).stdout.contains("sunny") == false)
    }
}
