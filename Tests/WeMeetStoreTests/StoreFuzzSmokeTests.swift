import Testing
import WeMeetCrypto
import WeMeetFuzzHarness
import WeMeetProcess
import WeMeetTestSupport

@testable import WeMeetStore

/// The store's libFuzzer harness (`scripts/fuzz … FuzzStoreEntry`) on seeded random inputs
/// and on mutations of a valid entry and log.
@Suite("store fuzz harness smoke run")
struct StoreFuzzSmokeTests {
    @Test func randomAndMutatedInputs() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var random = SplitMix(seed: 7)
        let entry = try IngestTests.chain(2)
        let record = LogFile.frame(
            marker: LogFile.entryMarker, payload: entry[0].encoded, checksum: entry[0].id.rawValue)
        for round in 0..<300 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0:
                bytes = (0..<Int.random(in: 0..<600, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            case 1: bytes = entry[1].encoded
            default: bytes = record + record
            }
            if round % 3 != 0, !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
            StoreFuzzHarness.entry(bytes)
            StoreFuzzHarness.log(bytes, directory: dir.path + "/s")
        }
    }
}
