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
    /// fails its handshake at once, and ten seconds later nothing reports a timeout.
    @Test func aConnectionClosedBeforeItWasActiveLeavesNoTimer() async throws {
        let logs = LogCapture()
        let channel = EmbeddedChannel()
        let established = try SecureChannel.installHandlers(
            channel, initiator: true, remoteAddress: "127.0.0.1:9", credentials: ChannelHarness.credentials("Dialer"),
            configuration: ChannelHarness.fast, logger: logs.logger())
        _ = try await channel.close().get()
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        await #expect(throws: SecureChannelError.self) { try await established.get() }
        #expect(!logs.contains("handshake not completed"), "\(logs.all)")
    }
}
