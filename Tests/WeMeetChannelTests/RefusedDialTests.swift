import Logging
import NIOCore
import NIOEmbedded
import Testing
import WeMeetTestSupport

@testable import WeMeetChannel

/// A dial the other end refuses ends there: no handshake timer outlives it.
@Suite("refused dials")
struct RefusedDialTests {
    /// A connection that closes before it was ever active (`ECONNREFUSED` while connecting)
    /// tears its pipeline down without `channelInactive`: the handshake handler is removed
    /// with nothing else said. The handshake fails then, and thirty seconds later nothing
    /// reports a timeout.
    @Test func aConnectionClosedBeforeItWasActiveLeavesNoTimer() async throws {
        let logs = LogCapture()
        let channel = EmbeddedChannel()
        let established = try SecureChannel.installHandlers(
            channel, initiator: true, remoteAddress: "127.0.0.1:9", credentials: ChannelHarness.credentials("Dialer"),
            configuration: ChannelHarness.fast, logger: logs.logger())
        let handler = try channel.pipeline.syncOperations.handler(type: NoiseHandshakeHandler.self)
        channel.pipeline.syncOperations.removeHandler(handler, promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        await #expect(throws: SecureChannelError.self) { try await established.get() }
        #expect(!logs.contains("handshake not completed"), "\(logs.all)")
    }
}
