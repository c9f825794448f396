import Foundation
import Testing
import WeMeetControl
import WeMeetDiscovery
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetTestSupport

/// `wemeet remark`, `wemeet mute`, `wemeet pin` and how `wemeet friends` and `wemeet inbox`
/// show them, `wemeet recall`, `wemeet post --quote` and `wemeet group recall` (client issue, §3), with the real executable.
@Suite("wemeet remark, mute and pin", .timeLimit(.minutes(1)))
struct ChatPreferenceCommandTests {
    @Test func aRemarkNamesAFriendInEveryCommandAndMuteAndPinShowInTheInbox() async throws {
        let aliceHome = try TemporaryDirectory()
        let bobHome = try TemporaryDirectory()
        defer {
            aliceHome.remove()
            bobHome.remove()
        }
        try await makeFriends([aliceHome.path, bobHome.path], names: ["Alice", "Bob"])
        let (_, task, _) = try await HostileTextTests.start(
            home: aliceHome.path, discovery: InMemoryNetwork(), controlAPI: true)
        defer { task.cancel() }
        let home = ["--home", aliceHome.path]
        let remark = try await HostileTextTests.run(["remark", "Bob", "Bobby 老板"] + home)
        #expect(remark.status == 0 && remark.stdout.contains("Bob is Bobby 老板 to you now"), "\(remark.stderr)")
        let friends = try await HostileTextTests.run(["friends"] + home)
        #expect(friends.stdout.contains("Bobby 老板 (Bob)"), "\(friends.stdout)")
        // The remark names him wherever a friend is named.
        let sent = try await HostileTextTests.run(["send", "Bobby 老板", "hi"] + home)
        #expect(sent.status == 0, "\(sent.stderr)")
        // Recall (撤回): the message just sent, by its ID; `wemeet messages` says it was recalled.
        let sentJSON = try await HostileTextTests.run(["send", "Bob", "oops", "--json"] + home)
        let oops = try ControlJSON.decoder.decode(DirectMessage.self, from: Data(sentJSON.stdout.utf8))
        let recall = try await HostileTextTests.run(["recall", "Bob", oops.id] + home)
        #expect(recall.status == 0 && recall.stdout.contains("recalled your message"), "\(recall.stderr)")
        let messages = try await HostileTextTests.run(["messages", "Bob"] + home)
        #expect(messages.stdout.contains("me: (recalled)") && !messages.stdout.contains("oops"), "\(messages.stdout)")
        let bogus = try await HostileTextTests.run(["recall", "Bob", String(repeating: "ab", count: 32)] + home)
        #expect(bogus.status != 0 && bogus.stderr.contains("no message"), "\(bogus.stderr)")
        #expect(try await HostileTextTests.run(["mute", "Bobby 老板"] + home).status == 0)
        let pinned = try await HostileTextTests.run(["pin", "Bob", "--json"] + home)
        let preference = try ControlJSON.decoder.decode(ChatPreference.self, from: Data(pinned.stdout.utf8))
        #expect(preference.remark == "Bobby 老板" && preference.muted && preference.pinned)
        let inbox = try await HostileTextTests.run(["inbox"] + home)
        #expect(inbox.stdout.contains("Bobby 老板 (Bob) [pinned] [muted]"), "\(inbox.stdout)")
        // A group: mute and pin, not a remark.
        _ = try await HostileTextTests.run(["group", "create", "Hikers"] + home)
        let group = try await HostileTextTests.run(["pin", "--group", "Hikers"] + home)
        #expect(group.status == 0 && group.stdout.contains("Hikers is pinned"), "\(group.stdout)\(group.stderr)")
        // A post that quotes another (Protocol.md §10.2): `wemeet group show` shows the quote above it.
        let asked = try await HostileTextTests.run(["post", "Hikers", "lunch?", "--json"] + home)
        let first = try ControlJSON.decoder.decode(FeedPost.self, from: Data(asked.stdout.utf8))
        let answer = try await HostileTextTests.run(
            ["post", "Hikers", "noon", "--quote", String(first.id.prefix(8)), "--json"] + home)
        #expect(answer.status == 0, "\(answer.stderr)")
        let posts = try await HostileTextTests.run(["group", "show", "Hikers"] + home)
        #expect(posts.stdout.contains("  > me: lunch?\n["), "\(posts.stdout)")
        // Recalling it (撤回): the post says so, its text gone.
        let noon = try ControlJSON.decoder.decode(FeedPost.self, from: Data(answer.stdout.utf8))
        let recalled = try await HostileTextTests.run(["group", "recall", "Hikers", String(noon.id.prefix(8))] + home)
        #expect(recalled.status == 0 && recalled.stdout.contains("recalled your post #"), "\(recalled.stderr)")
        let after = try await HostileTextTests.run(["group", "show", "Hikers"] + home)
        #expect(after.stdout.contains("me: (recalled)") && !after.stdout.contains("noon"), "\(after.stdout)")
        let nowhere = try await HostileTextTests.run(["post", "Hikers", "x", "--quote", "00000000"] + home)
        #expect(nowhere.status != 0 && nowhere.stderr.contains("no post 00000000"), "\(nowhere.stderr)")
        // Bad input: a clear reason, nothing changed.
        let long = try await HostileTextTests.run(["remark", "Bob", String(repeating: "x", count: 65)] + home)
        #expect(long.status != 0 && long.stderr.contains("at most 64 characters"), "\(long.stderr)")
        let nobody = try await HostileTextTests.run(["mute", "Nobody"] + home)
        #expect(nobody.status != 0 && !nobody.stderr.isEmpty)
        let cleared = try await HostileTextTests.run(["remark", "Bobby 老板"] + home)
        #expect(cleared.stdout.contains("has no remark now"), "\(cleared.stdout)")
        #expect(try await HostileTextTests.run(["friends"] + home).stdout.contains("Bob "))
    }
}
