import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WeMeetChannel
import WeMeetCrypto
import WeMeetTestSupport

@Suite("secure channel over TCP")
struct SecureChannelTests {
    @Test func messagesFlowBothWaysAndPeersAreAuthenticated() async throws {
        let server = ChannelHarness.credentials("Server")
        let client = ChannelHarness.credentials("Client")
        let seen = Mutex<PeerInfo?>(nil)
        try await ChannelHarness.withListener(
            credentials: server,
            handler: { channel in
                seen.withLock { $0 = channel.peer }
                await ChannelHarness.echo(channel)
            }
        ) { port, _ in
            let channel = try await SecureChannel.connect(host: "127.0.0.1", port: port, credentials: client)
            #expect(channel.peer.nodeID == server.nodeID)
            #expect(channel.peer.displayName == "Server")
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                for index in 0..<100 {
                    try await outbound.send(Array("message \(index)".utf8))
                    let echoed = try #require(try await iterator.next())
                    #expect(String(buffer: echoed) == "message \(index)")
                }
            }
            #expect(seen.withLock { $0?.nodeID } == client.nodeID)
            #expect(seen.withLock { $0?.handshakeHash } == channel.peer.handshakeHash)
        }
    }

    @Test func largeMessagesAreFragmentedAndOversizeIsRefused() async throws {
        try await ChannelHarness.withListener { port, _ in
            let channel = try await SecureChannel.connect(
                host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("C"))
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                let big = Random.bytes(count: 1 << 20)
                try await outbound.send(big)
                #expect(Array(buffer: try #require(try await iterator.next())) == big)
                let error = await #expect(throws: SecureChannelError.self) { try await outbound.send(big + [0]) }
                #expect(error?.code == .messageTooLarge)
                try await outbound.send([1, 2, 3])
                #expect(Array(buffer: try #require(try await iterator.next())) == [1, 2, 3])
                try await outbound.send([UInt8]())
                #expect(try #require(try await iterator.next()).readableBytes == 0)
            }
        }
    }

    @Test func rekeyingKeepsTheChannelWorking() async throws {
        let configuration = {
            var configuration = ChannelHarness.fast
            configuration.rekeyInterval = 3
            return configuration
        }()
        try await ChannelHarness.withListener(configuration: configuration) { port, _ in
            let channel = try await SecureChannel.connect(
                host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("C"),
                configuration: configuration)
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                for index in 0..<40 {
                    try await outbound.send([UInt8(index)] + Random.bytes(count: 70_000 * (index % 2)))
                    #expect(try #require(try await iterator.next()).getInteger(at: 0, as: UInt8.self) == UInt8(index))
                }
            }
        }
    }

    @Test func closeReasonReachesThePeer() async throws {
        let (reasons, reported) = AsyncStream<SecureChannelError?>.makeStream()
        try await ChannelHarness.withListener(
            handler: { channel in
                do {
                    try await channel.executeThenClose { inbound, _ in for try await _ in inbound {} }
                    reported.yield(nil)
                } catch {
                    reported.yield(error as? SecureChannelError)
                }
            }
        ) { port, _ in
            let channel = try await SecureChannel.connect(
                host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("C"))
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.close(.shuttingDown, reason: "going to sleep")
                for try await _ in inbound {}
            }
            var iterator = reasons.makeAsyncIterator()
            let reason = try #require(await iterator.next() ?? nil)
            #expect(reason.code == .closedByPeer)
            #expect(reason.message.contains("going to sleep"))
            #expect(reason.closeCode == .shuttingDown)
        }
    }

    @Test func serverCloseReasonReachesTheClient() async throws {
        try await ChannelHarness.withListener(handler: { channel in
            try? await channel.executeThenClose { _, outbound in
                try await outbound.close(.duplicateConnection, reason: "already connected")
            }
        }) { port, _ in
            let channel = try await SecureChannel.connect(
                host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("C"))
            let error = await #expect(throws: SecureChannelError.self) {
                try await channel.executeThenClose { inbound, _ in for try await _ in inbound {} }
            }
            #expect(error?.closeCode == .duplicateConnection)
            #expect(error?.message.contains("already connected") == true)
        }
    }

    @Test func wrongNetworkCannotConnect() async throws {
        try await ChannelHarness.withListener { port, _ in
            var other = ChannelHarness.fast
            other.network = NetworkID(name: "other")
            let error = await #expect(throws: SecureChannelError.self) {
                try await SecureChannel.connect(
                    host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("C"), configuration: other)
            }
            #expect(error?.code == .handshakeFailed)
        }
    }

    @Test func newerPeerIsRefusedWithAReason() async throws {
        try await ChannelHarness.withListener { port, _ in
            var future = ChannelHarness.fast
            future.minimumVersion = 2
            future.maximumVersion = 2
            let error = await #expect(throws: SecureChannelError.self) {
                try await SecureChannel.connect(
                    host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("C"), configuration: future)
            }
            #expect(error?.code == .versionMismatch)
            #expect(error?.message.contains("offered 2-2") == true)
        }
    }

    @Test func keepaliveKeepsAQuietChannelOpen() async throws {
        let configuration = {
            var configuration = ChannelHarness.fast
            configuration.keepaliveInterval = .milliseconds(50)
            configuration.idleTimeout = .milliseconds(400)
            return configuration
        }()
        try await ChannelHarness.withListener(configuration: configuration) { port, _ in
            // Both sides ping, so a quiet but live channel stays open past the idle timeout.
            let channel = try await SecureChannel.connect(
                host: "127.0.0.1", port: port, credentials: ChannelHarness.credentials("C"),
                configuration: configuration)
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                let clock = ContinuousClock()
                let start = clock.now
                while clock.now - start < .milliseconds(1200) {
                    try await ChannelHarness.roundTrip(&iterator, outbound, "still here")
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
        }
    }
}
