import NIOCore
import Testing
import WeMeetCrypto

@testable import WeMeetChannel

/// A hand-driven peer on a raw TCP connection: it frames, runs the WeMeet handshake itself
/// and can then send anything at all, for the bad-input tests.
struct RawPeer {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []
    var send: NoiseCipherState?
    var receive: NoiseCipherState?

    init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.iterator = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// The next frame's body, or nil when the connection ended.
    mutating func readFrame() async throws -> [UInt8]? {
        while true {
            if pending.count >= 2 {
                let length = Int(pending[0]) << 8 | Int(pending[1])
                if pending.count >= 2 + length {
                    defer { pending.removeFirst(2 + length) }
                    return Array(pending[2..<2 + length])
                }
            }
            guard let chunk = try await iterator.next() else { return nil }
            pending += Array(buffer: chunk)
        }
    }

    func writeFrame(_ body: [UInt8]) async throws {
        var buffer = ByteBuffer()
        buffer.writeFrame(body)
        try await outbound.write(buffer)
    }

    func writeRaw(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Runs the handshake as the initiator; afterwards ``sendRecord(_:)`` works.
    mutating func handshake(credentials: ChannelCredentials, configuration: ChannelConfiguration = .init()) async throws
    {
        var handshake = ChannelHandshake(
            initiator: true, credentials: credentials, configuration: configuration, remoteAddress: "server")
        try await writeFrame(try handshake.start())
        let message2 = try #require(try await readFrame())
        let output = try handshake.receive(message2)
        try await writeFrame(try #require(output.reply))
        let established = try #require(output.established)
        send = established.send
        receive = established.receive
    }

    /// Encrypts and sends one record.
    mutating func sendRecord(_ record: ChannelRecord) async throws {
        try await writeFrame(try send!.encrypt(record.encoded()))
    }

    /// Reads until the connection ends; returns the records received (undecryptable ones skipped).
    mutating func drain() async -> [ChannelRecord] {
        var records: [ChannelRecord] = []
        while let frame = try? await readFrame() {
            if var cipher = receive, let plaintext = try? cipher.decrypt(frame) {
                receive = cipher
                if let record = try? ChannelRecord.decode(plaintext) { records.append(record) }
            }
        }
        return records
    }
}
