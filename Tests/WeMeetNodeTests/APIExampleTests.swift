import Foundation
import Testing
import WeMeetCrypto
import WeMeetModel

/// API.md's examples against the response types the server encodes and the CLI decodes: each
/// example (a JSON block under `<!-- example: TYPE -->`) must decode as its type, and encode
/// back with the same fields — none missing, none extra — so the document and the code cannot
/// drift apart. A `"…"` key in an example stands for fields left out; `null` is the same as
/// absent.
@Suite("API.md examples")
struct APIExampleTests {
    /// Every type an answer or an event is made of, by name.
    static let types: [String: any Codable.Type] = [
        "ControlErrorBody": ControlErrorBody.self,
        "NodeStatus": NodeStatus.self,
        "RadarSnapshot": RadarSnapshot.self,
        "PairingStatus": PairingStatus.self,
        "DirectMessage": DirectMessage.self,
        "GroupSummary": GroupSummary.self,
        "GroupChange": GroupChange.self,
        "FeedPost": FeedPost.self,
        "FriendList": FriendList.self,
        "FriendRemoved": FriendRemoved.self,
        "NodeBlocked": NodeBlocked.self,
        "PeerList": PeerList.self,
        "DialStarted": DialStarted.self,
        "MessageList": MessageList.self,
        "ConversationMarkedRead": ConversationMarkedRead.self,
        "ConversationList": ConversationList.self,
        "GroupList": GroupList.self,
        "GroupDetails": GroupDetails.self,
        "MemberList": MemberList.self,
        "PostList": PostList.self,
        "SettingsValues": SettingsValues.self,
        "ChatPreference": ChatPreference.self,
        "StoreVerification": StoreVerification.self,
        "StoreFeedList": StoreFeedList.self,
        "StoreForkList": StoreForkList.self,
        "NodeEvent": NodeEvent.self,
    ]

    /// API.md's examples: the type each names, and its JSON.
    static let examples: [(type: String, json: String)] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("API.md").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var found: [(String, String)] = []
        var rest = Substring(text)
        while let marker = rest.range(of: "<!-- example: ") {
            let afterMarker = rest[marker.upperBound...]
            guard let close = afterMarker.range(of: " -->"),
                let open = afterMarker.range(of: "```json\n"),
                let end = afterMarker[open.upperBound...].range(of: "\n```")
            else { break }
            found.append(
                (String(afterMarker[..<close.lowerBound]), String(afterMarker[open.upperBound..<end.lowerBound])))
            rest = afterMarker[end.upperBound...]
        }
        return found
    }()

    @Test func everyTypeHasAnExampleAndEveryExampleAType() {
        #expect(Self.examples.count >= Self.types.count)
        #expect(Set(Self.examples.map(\.type)) == Set(Self.types.keys))
    }

    @Test(arguments: examples.map(\.type))
    func theExampleIsWhatTheTypeEncodes(_ name: String) throws {
        let type = try #require(Self.types[name], "\(name) is not a response type")
        for example in Self.examples where example.type == name {
            let encoded = try Self.roundTrip(Data(example.json.utf8), as: type)
            let expected = try JSONSerialization.jsonObject(with: Data(example.json.utf8))
            let actual = try JSONSerialization.jsonObject(with: encoded)
            var problems: [String] = []
            Self.compare(expected, actual, at: name, problems: &problems)
            #expect(
                problems.isEmpty,
                "\(problems.joined(separator: "\n"))\nencoded: \(String(decoding: encoded, as: UTF8.self))")
        }
    }

    /// Decodes `data` as `type` with the API's decoder and encodes it back with its encoder.
    static func roundTrip<T: Codable>(_ data: Data, as type: T.Type) throws -> Data {
        try ControlJSON.encoder.encode(try ControlJSON.decoder.decode(T.self, from: data))
    }

    /// Notes where `actual` differs from `expected`: a field missing or extra, or a value.
    static func compare(_ expected: Any, _ actual: Any, at path: String, problems: inout [String]) {
        switch (expected, actual) {
        case (let expected as [String: Any], let actual as [String: Any]):
            for (key, value) in expected where key != "…" {
                guard let other = actual[key], !(other is NSNull) else {
                    if !(value is NSNull) { problems.append("\(path).\(key): in the example, not encoded") }
                    continue
                }
                compare(value, other, at: "\(path).\(key)", problems: &problems)
            }
            if expected["…"] == nil {
                for key in actual.keys where expected[key] == nil {
                    problems.append("\(path).\(key): encoded, not in the example")
                }
            }
        case (let expected as [Any], let actual as [Any]):
            guard expected.count == actual.count else {
                problems.append("\(path): \(expected.count) items in the example, \(actual.count) encoded")
                return
            }
            for (index, (a, b)) in zip(expected, actual).enumerated() {
                compare(a, b, at: "\(path)[\(index)]", problems: &problems)
            }
        case (let expected as NSObject, let actual as NSObject):
            if expected != actual { problems.append("\(path): \(expected) in the example, \(actual) encoded") }
        default:
            problems.append("\(path): \(expected) in the example, \(actual) encoded")
        }
    }
}
