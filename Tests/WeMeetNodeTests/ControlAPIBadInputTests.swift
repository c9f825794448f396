import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// Numbers and times in control-API requests (hostile-peers issue, finding 4): every route
/// answers a negative, huge, ill-typed or malformed value with 400 and the reason, and the
/// node keeps serving. Before, a negative limit or a window of 1e300 killed the node.
@Suite("Control API: bad numbers and times", .stopsNodes, .timeLimit(.minutes(1)))
struct ControlAPIBadInputTests {
    /// One request with curl over the node's control socket: the status and the body.
    /// curl runs off the concurrency pool (``offThePool(_:)``): the node it asks runs in this process.
    static func curl(
        _ home: String, _ method: String, _ path: String, body: String? = nil
    ) async throws -> (Int, String) {
        let arguments =
            ["curl", "-s", "-g", "-X", method, "--unix-socket", home + "/control.sock", "-w", "\n%{http_code}"]
            + (body.map { ["-H", "Content-Type: application/json", "-d", $0] } ?? []) + ["http://wemeet\(path)"]
        let result = try await offThePool { try Spawn.run("/usr/bin/env", arguments) }
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    static let badLimits = ["-1", "0", "-9223372036854775808", "99999999999999999999", "1000001", "1e3", "abc", ""]
    /// The last one killed the node with SIGFPE inside `ISO8601DateFormatter` (found by fuzzing).
    static let badTimes = [
        "yesterday", "2026-13-45T99:00:00Z", "1700000000", "%00", "2026-02-29T08:00:00Z", APITimeTests.fuzzCrash,
    ]

    /// The store routes (conformance issue, point 24) refuse garbage, truncated, oversized
    /// and unknown feed IDs with a reason, and the node keeps answering.
    @Test func storeRoutesRefuseBadFeedIDsAndTheNodeStaysUp() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let node = try await RunningNode.start(home: home.path, name: "Alice", controlAPI: true)
        for bad in [
            "zz", String(repeating: "a", count: 63), String(repeating: "a", count: 65), "%00%1b",
            String(repeating: "f", count: 5000),
        ] {
            let (status, body) = try await Self.curl(home.path, "GET", "/v1/store/feeds/\(bad)/entries")
            #expect(status == 400 && body.contains("not a feed ID"), "\(bad.prefix(10)): \(status) \(body)")
        }
        let (status, body) = try await Self.curl(
            home.path, "GET", "/v1/store/feeds/\(String(repeating: "0", count: 64))/entries")
        #expect(status == 404 && body.contains("no feed"), "\(status) \(body)")
        let (verified, answer) = try await Self.curl(home.path, "GET", "/v1/store/verify")
        #expect(verified == 200 && answer.contains("\"entries\""), "\(verified) \(answer)")
        await node.stop()
    }

    /// The client issue's routes (chat preferences, recall, quotes, mentions, likes and
    /// comments, typing, recalls and quotes in groups, fetch cancels, settings) refuse garbage, truncated, oversized and out-of-range bodies with a reason,
    /// and the node keeps answering.
    @Test func theClientRoutesRefuseBadBodiesAndTheNodeStaysUp() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let node = try await RunningNode.start(home: home.path, name: "Alice", controlAPI: true)
        let group = try await node.node.createGroup(name: "Club", isPublic: false)
        let moment = try await node.node.postMoment("sunset", attachments: [])
        let huge = String(repeating: "x", count: 3000)
        let tooMany = "[" + Array(repeating: "\"Alice\"", count: 65).joined(separator: ",") + "]"
        var requests: [(String, String, String?)] = []
        for body in [
            "{\"muted\":", "{\"muted\":\"yes\"}", "{\"pinned\":1e400}", "[]", "null", "{\"remark\":\"Club 2\"}",
            "\u{0}\u{1b}",
        ] {
            requests.append(("PUT", "/v1/groups/\(group.id)/preferences", body))
        }
        for body in ["{\"remark\":\"Bobby\"}", "{\"muted\":true}"] {
            requests.append(("PUT", "/v1/friends/Nobody/preferences", body))  // no such friend
        }
        for body in ["{}", "{\"message\":42}", "{\"message\":\"\(huge)\"}", "{\"message\":"] {
            requests.append(("POST", "/v1/messages/Nobody/recall", body))
        }
        requests.append(("POST", "/v1/messages/Nobody", "{\"text\":\"hi\",\"quote\":\"\(huge)\"}"))
        for mentions in ["\"Alice\"", tooMany, "[\"Nobody\"]", "[42]", "[\"\(huge)\"]"] {
            requests.append(("POST", "/v1/groups/\(group.id)/posts", "{\"text\":\"hi\",\"mentions\":\(mentions)}"))
        }
        for bad in ["nope", String(repeating: "g", count: 64), String(repeating: "a", count: 63), huge] {
            requests.append(("POST", "/v1/moments/\(bad)/like", nil))
            requests.append(("DELETE", "/v1/moments/\(bad)/like", nil))
        }
        for body in ["{\"text\":\"\"}", "{\"text\":\"   \"}", "{\"text\":\"\(huge)\"}", "{\"text\":", "{\"text\":7}"] {
            requests.append(("POST", "/v1/moments/\(moment.id)/comments", body))
        }
        // Typing, group quotes and recalls, fetch cancels, the typing setting.
        for body in ["{}", "{\"typing\":\"yes\"}", "{\"typing\":", "[]", "{\"typing\":1e400}"] {
            requests.append(("POST", "/v1/messages/Nobody/typing", body))
        }
        requests.append(("POST", "/v1/messages/Nobody/typing", "{\"typing\":true}"))  // no such friend
        for quote in ["\"00000000\"", "\"\(huge)\"", "42", "\"ab\""] {
            requests.append(("POST", "/v1/groups/\(group.id)/posts", "{\"text\":\"hi\",\"quote\":\(quote)}"))
        }
        for bad in ["nope", String(repeating: "0", count: 64), huge] {
            requests.append(("POST", "/v1/groups/\(group.id)/posts/\(bad)/recall", nil))
            requests.append(("DELETE", "/v1/attachments/\(bad)/fetch", nil))
        }
        for body in ["{\"typing_indicators\":\"off\"}", "{\"typing_indicators\":", "{\"typing_indicators\":2}"] {
            requests.append(("POST", "/v1/settings", body))
        }
        for (method, path, body) in requests {
            let (status, answer) = try await Self.curl(home.path, method, path, body: body)
            #expect((400..<500).contains(status), "\(method) \(path.prefix(80)) \(body?.prefix(80) ?? ""): \(status)")
            #expect(answer.contains("\"error\""), "\(method) \(path.prefix(80)): \(answer.prefix(200))")
        }
        // Nothing changed, good requests work, and the node is up.
        #expect(try await node.node.groups().first?.muted == false)
        #expect(try await node.node.moments().first?.comments == nil)
        #expect(try await node.node.posts(in: group.id).isEmpty)
        #expect(try await node.node.typingIndicators())
        #expect(try await Self.curl(home.path, "POST", "/v1/moments/\(moment.id)/like").0 == 200)
        #expect(
            try await Self.curl(home.path, "PUT", "/v1/groups/\(group.id)/preferences", body: "{\"pinned\":true}").0
                == 200)
        #expect(try await Self.curl(home.path, "GET", "/v1/status").0 == 200)
        await node.stop()
    }

    @Test func everyNumberAndTimeIsCheckedAndTheNodeStaysUp() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let node = try await RunningNode.start(home: home.path, name: "Alice", controlAPI: true)
        let group = try await node.node.createGroup(name: "Club", isPublic: false)
        var requests: [(String, String, String?)] = []
        for limit in Self.badLimits {
            for path in ["/v1/messages/Bob", "/v1/groups/\(group.id)/posts", "/v1/moments", "/v1/discover", "/v1/feed"]
            {
                requests.append(("GET", "\(path)?limit=\(limit)", nil))
            }
        }
        for time in Self.badTimes {
            for path in ["/v1/messages/Bob", "/v1/groups/\(group.id)/posts"] {
                requests.append(("GET", "\(path)?since=\(time)", nil))
            }
        }
        for cursor in ["-1", "abc", "1e5", "99999999999999999999999", "", "%20"] {
            for path in ["/v1/messages/Bob", "/v1/groups/\(group.id)/posts", "/v1/moments", "/v1/discover", "/v1/feed"]
            {
                requests.append(("GET", "\(path)?before=\(cursor)", nil))
            }
        }
        for after in ["nope", "00", String(repeating: "g", count: 64)] {
            requests.append(("GET", "/v1/messages/Bob?after=\(after)", nil))
        }
        for window in ["-5", "0", "0.5", "121", "1e300", "-1e300", "\"ten\"", "[]", "1e400"] {
            requests.append(("POST", "/v1/pair", "{\"window\":\(window)}"))
        }
        for quotas in [
            "{\"author_bytes\":-1}", "{\"author_bytes\":1e300}", "{\"nothing\":1}", "{\"total_feeds\":\"ten\"}",
            "{\"outsider_feeds\":99999999999}", "[]",
        ] {
            requests.append(("POST", "/v1/settings", "{\"quotas\":\(quotas)}"))
        }
        for bytes in ["-1", "1e300", "2199023255552", "\"8MiB\"", "[]", "null1"] {
            // With a valid quota beside it: all or nothing, so the quota is not changed either.
            requests.append(
                ("POST", "/v1/settings", "{\"automatic_attachment_bytes\":\(bytes),\"quotas\":{\"author_feeds\":7}}"))
        }
        requests.append(("POST", "/v1/groups", "{\"name\":\"evil\\u202Eexe\"}"))
        requests.append(("POST", "/v1/groups", "{\"name\":\"bell\\u0007\"}"))
        for (method, path, body) in requests {
            let (status, answer) = try await Self.curl(home.path, method, path, body: body)
            #expect(status == 400, "\(method) \(path) \(body ?? ""): \(status) \(answer)")
            #expect(answer.contains("\"error\""), "\(method) \(path): \(answer)")
        }
        // Good values still work, and the node is up.
        #expect(try await Self.curl(home.path, "GET", "/v1/feed?limit=5").0 == 200)
        #expect(try await Self.curl(home.path, "GET", "/v1/feed?limit=5&before=18446744073709551615").0 == 200)
        #expect(
            try await Self.curl(home.path, "GET", "/v1/groups/\(group.id)/posts?since=2026-11-22T08:00:00Z").0 == 200)
        #expect(try await Self.curl(home.path, "POST", "/v1/pair", body: "{\"window\":2.5}").0 == 202)
        #expect(try await Self.curl(home.path, "GET", "/v1/status").0 == 200)
        #expect(try await node.node.quotas().authorFeeds != 7)
        #expect(try await node.node.automaticAttachmentBytes() == 8 << 20)
        // The node's own API refuses them too.
        await #expect(throws: NodeError.self) { try await node.node.feed(limit: -1) }
        await #expect(throws: NodeError.self) { try await node.node.messages(with: "Bob", limit: 0) }
        await node.stop()
    }
}
