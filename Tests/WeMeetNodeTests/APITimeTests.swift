import Foundation
import Testing
import WeMeetCrypto
import WeMeetModel

/// Times in the control API (API.md, "Times"): read and written by arithmetic, for any input
/// and any clock claim a peer makes.
@Suite("Control API times")
struct APITimeTests {
    /// Found by the control-JSON fuzz target: `ISO8601DateFormatter` died of SIGFPE on it, so
    /// `GET /v1/messages/Bob?since=` with it killed the node.
    static let fuzzCrash = "-2-11-22T08:00:00.1239999999123999999999999999999999999999999Z1"

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0), ("2026-11-22T08:00:00Z", 1_795_334_400), ("2026-11-22T08:00:00z", 1_795_334_400),
        ("2026-11-22t08:00:00Z", 1_795_334_400), ("2026-11-22T16:00:00+08:00", 1_795_334_400),
        ("2026-11-22T02:30:00-05:30", 1_795_334_400), ("2026-11-22T08:00:00.5Z", 1_795_334_400.5),
        ("2026-11-22T08:00:00.250000000000000000000000000000Z", 1_795_334_400.25),
        ("2000-02-29T00:00:00Z", 951_782_400), ("1969-12-31T23:59:59Z", -1),
        ("0000-01-01T00:00:00Z", -62_167_219_200), ("9999-12-31T23:59:59Z", 253_402_300_799),
    ])
    func readsRFC3339(text: String, seconds: Double) {
        #expect(APITime.date(from: text)?.timeIntervalSince1970 == seconds, "\(text)")
    }

    @Test(arguments: [
        fuzzCrash, "", "yesterday", "1700000000", "2026-11-22", "2026-11-22T08:00:00", "2026-11-22 08:00:00Z",
        "2026-13-01T08:00:00Z", "2026-00-01T08:00:00Z", "2026-11-31T08:00:00Z", "2026-11-00T08:00:00Z",
        "2026-02-29T08:00:00Z", "1900-02-29T08:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T08:60:00Z",
        "2026-11-22T08:00:60Z", "2026-11-22T08:00:00.Z", "2026-11-22T08:00:00+0800", "2026-11-22T08:00:00+24:00",
        "2026-11-22T08:00:00+08:60", "2026-11-22T08:00:00Z1", "+2026-11-22T08:00:00Z", "02026-11-22T08:00:00Z",
        "-002-11-22T08:00:00Z", "2026-1-22T08:00:00Z", "２０２６-11-22T08:00:00Z", "2026-11-22T08:00:00\u{0}Z",
        "2026-11-22T08:00:00." + String(repeating: "1", count: 31) + "Z",
        "2026-11-22T08:00:00." + String(repeating: "9", count: 60) + "Z",
    ])
    func refusesEverythingElse(text: String) {
        #expect(APITime.date(from: text) == nil, "\(text)")
    }

    @Test func writesWholeSecondsInUTCAndReadsThemBack() {
        #expect(APITime.string(from: Date(timeIntervalSince1970: 1_795_334_400.999)) == "2026-11-22T08:00:00Z")
        #expect(APITime.string(from: Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
        #expect(APITime.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        var generator = SystemRandomNumberGenerator()
        let range = APITime.earliest.timeIntervalSince1970...APITime.latest.timeIntervalSince1970
        for _ in 0..<10_000 {
            let seconds = Double(Int64.random(in: Int64(range.lowerBound)...Int64(range.upperBound), using: &generator))
            let text = APITime.string(from: Date(timeIntervalSince1970: seconds))
            #expect(APITime.date(from: text)?.timeIntervalSince1970 == seconds, "\(seconds) → \(text)")
        }
    }

    /// Agrees with the system calendar wherever that is sane.
    @Test func agreesWithTheGregorianCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(
                timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator)))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
            #expect(APITime.string(from: date) == expected)
        }
    }

    /// A peer's clock is a claim (Protocol.md §7.1): any 64-bit millisecond count. Every one is
    /// written as a time the API can read back, the far future as the latest.
    @Test func anyClockClaimIsWrittenReadably() throws {
        for milliseconds in [UInt64.max, UInt64(Int64.max), 253_402_300_800_000, 253_402_300_799_999] {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(APITime.string(from: date) == "9999-12-31T23:59:59Z", "\(milliseconds)")
        }
        #expect(APITime.string(from: Date(timeIntervalSince1970: .nan)) == "0000-01-01T00:00:00Z")
        #expect(APITime.string(from: Date(timeIntervalSince1970: -.infinity)) == "0000-01-01T00:00:00Z")
        #expect(APITime.string(from: Date(timeIntervalSince1970: .infinity)) == "9999-12-31T23:59:59Z")
        let message = DirectMessage(
            id: String(repeating: "a", count: 64), friend: NodeID(publicKey: Ed25519.PrivateKey().publicKey),
            direction: .incoming, from: "Bob", text: "from the future",
            sentAt: Date(timeIntervalSince1970: Double(UInt64.max) / 1000), seq: 1)
        let json = try ControlJSON.encoder.encode(message)
        #expect(String(decoding: json, as: UTF8.self).contains("\"sentAt\":\"9999-12-31T23:59:59Z\""))
        #expect(try ControlJSON.decoder.decode(DirectMessage.self, from: json).sentAt == APITime.latest)
    }

    @Test func controlJSONRefusesAMalformedTime() {
        #expect(throws: DecodingError.self) {
            try ControlJSON.decoder.decode([Date].self, from: Data("[\"\(Self.fuzzCrash)\"]".utf8))
        }
    }
}
