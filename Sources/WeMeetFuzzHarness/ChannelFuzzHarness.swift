import Logging
import NIOCore
import NIOEmbedded
import WeMeetChannel
import WeMeetCrypto
import WeMeetStore

/// Entry points for fuzzing the channel's parsers (`FuzzTesting/`, libFuzzer) and for the
/// seeded-random smoke run in `swift test`. Not shipped: only the fuzz targets and the smoke tests link it.
public enum ChannelFuzzHarness {
    private static let credentials = ChannelCredentials(
        identityKey: try! Ed25519.PrivateKey(seed: SecureBytes([UInt8](repeating: 7, count: 32))), displayName: "fuzz")

    /// Feeds `data` to a responder's pipeline (frame decoder + handshake), split into reads
    /// at points derived from the data itself. Must never crash, hang or buffer more than
    /// the handshake frame limit.
    public static func responder(_ data: [UInt8]) {
        let channel = EmbeddedChannel()
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        guard
            let established = try? SecureChannel.installHandlers(
                channel, initiator: false, remoteAddress: "fuzz", credentials: credentials, configuration: .init(),
                logger: logger)
        else { return }
        _ = try? channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        var offset = 0
        var cut = 1
        while offset < data.count, channel.isActive {
            // Read sizes cycle through 1, 2, 4, … 64 KiB, starting from the data's first byte.
            cut = (cut * 2 + Int(data[offset] & 3)) % 65_536 + 1
            let end = min(data.count, offset + cut)
            _ = try? channel.writeInbound(ByteBuffer(bytes: data[offset..<end]))
            offset = end
        }
        established.whenComplete { _ in }
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }

    /// Decodes `data` as a sequence of frames and each frame as a handshake payload and as a
    /// record: every parser must return or throw, never trap.
    public static func parsers(_ data: [UInt8]) {
        _ = try? HandshakePayload.decode(data, expected: [1, 2, 3, 4])
        _ = try? ChannelRecord.decode(data)
        var handshake = ChannelHandshake(
            initiator: false, credentials: credentials, configuration: .init(), remoteAddress: "fuzz")
        _ = try? handshake.receive(data)
    }
}
