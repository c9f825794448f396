import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

@testable import WeMeetNode

/// Group record payloads as bytes (Protocol.md §10.2; conformance issue, point 16): optional
/// fields are omitted, never `null`, and a `null` reads like an omitted key.
@Suite("Group record conformance")
struct RecordConformanceTests {
    @Test func aPostWithoutAReplyOmitsTheKeyAndNullReadsAsOmitted() throws {
        #expect(String(decoding: GroupRecord.encode(GroupRecord.Post(text: "hi")), as: UTF8.self) == #"{"text":"hi"}"#)
        #expect(
            String(decoding: GroupRecord.encode(GroupRecord.Post(text: "hi", reply: "ab")), as: UTF8.self)
                == #"{"reply":"ab","text":"hi"}"#)
        let decoded = try JSONDecoder().decode(GroupRecord.Post.self, from: Data(#"{"reply":null,"text":"hi"}"#.utf8))
        #expect(decoded.reply == nil && decoded.text == "hi")
    }

    @Test func aGroupsFirstKeyOmitsReplaces() {
        let key = GroupRecord.Key(key: "00", replaces: nil, wraps: [:], deps: [:])
        let json = String(decoding: GroupRecord.encode(key), as: UTF8.self)
        #expect(!json.contains("replaces") && !json.contains("null"), "\(json)")
    }
}
