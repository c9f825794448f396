import Testing
import WeMeetCrypto
import WeMeetFuzzHarness
import WeMeetTestSupport

@testable import WeMeetChannel

/// The libFuzzer harnesses (`scripts/fuzz`) on seeded pseudo-random inputs and on mutations
/// of a valid first message, so every `swift test` exercises them too.
@Suite("fuzz harness smoke run")
struct FuzzSmokeTests {
    @Test(arguments: [1, 2, 3])
    func randomInputs(seed: UInt64) {
        var random = SplitMix(seed: seed)
        for _ in 0..<300 {
            let count = Int.random(in: 0..<2048, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            ChannelFuzzHarness.responder(bytes)
            ChannelFuzzHarness.parsers(bytes)
        }
    }

    @Test func mutatedFirstMessages() throws {
        var initiator = ChannelHandshake(
            initiator: true, credentials: ChannelCredentials(identityKey: Ed25519.PrivateKey(), displayName: "m"),
            configuration: .init(), remoteAddress: "x")
        let message = try initiator.start()
        var random = SplitMix(seed: 42)
        for _ in 0..<300 {
            var frame = [UInt8(message.count >> 8), UInt8(message.count & 0xff)] + message
            let position = Int.random(in: 0..<frame.count, using: &random)
            frame[position] ^= UInt8.random(in: 1...255, using: &random)
            ChannelFuzzHarness.responder(frame + Random.bytes(count: Int.random(in: 0..<200, using: &random)))
        }
    }
}
