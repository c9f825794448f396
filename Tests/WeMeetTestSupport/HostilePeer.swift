import Foundation
import NIOCore
import WeMeetChannel
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetSync

/// A dishonest peer for attacker tests: it holds valid keys and completes a real secure
/// channel (Protocol.md §4) to a real node, then sends whatever the test tells it — any frame,
/// any pairing or sync message in any order, entries with any timestamp, payload or name —
/// and records everything it gets back.
///
/// Every rule that protects someone gets a test built on this: the test plays the attacker
/// message by message and checks what the node did.
public actor HostilePeer {
    /// What the peer received from the node, in order.
    public enum Received: Sendable, CustomStringConvertible {
        case pairing(PairMessage)
        case sync(SyncMessage)
        /// A message of another family, or one that did not parse.
        case other([UInt8])

        public var description: String {
            switch self {
            case .pairing(let message): "pairing \(message)"
            case .sync(let message): "sync \(message.bytes.first.map { String($0, radix: 16) } ?? "?")"
            case .other(let bytes): "other \(bytes.prefix(8))"
            }
        }
    }

    /// The key this peer holds (an invented one, or a real node's stolen or shared key).
    public nonisolated let key: Ed25519.PrivateKey
    /// The node as the channel authenticated it: its ID, name and the handshake hash `h`.
    public nonisolated let node: PeerInfo
    private let outbound: SecureChannelWriter
    private var received: [Received] = []
    private var closeReason: String?
    private var ended = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Resumed when the channel ends, so that `executeThenClose` returns.
    private let done: CheckedContinuation<Void, Never>
    /// The task that owns the channel.
    private var owner: Task<Void, Never>?

    private init(
        key: Ed25519.PrivateKey, node: PeerInfo, outbound: SecureChannelWriter, done: CheckedContinuation<Void, Never>
    ) {
        self.key = key
        self.node = node
        self.outbound = outbound
        self.done = done
    }

    /// Dials the node at `127.0.0.1:port` as `name`, holding `key`.
    /// - Throws: the channel's error when the node refused the handshake.
    public static func connect(
        port: Int, key: Ed25519.PrivateKey = Ed25519.PrivateKey(), name: String
    ) async throws -> HostilePeer {
        let channel = try await SecureChannel.connect(
            host: "127.0.0.1", port: port, credentials: ChannelCredentials(identityKey: key, displayName: name))
        let (ready, readyContinuation) = AsyncStream<HostilePeer>.makeStream()
        let task = Task {
            _ = try? await channel.executeThenClose { inbound, outbound in
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    let peer = HostilePeer(key: key, node: channel.peer, outbound: outbound, done: done)
                    readyContinuation.yield(peer)
                    readyContinuation.finish()
                    Task { await peer.read(inbound) }
                }
            }
        }
        var iterator = ready.makeAsyncIterator()
        guard let peer = await iterator.next() else { throw CancellationError() }
        await peer.adopt(task)
        return peer
    }

    private func adopt(_ task: Task<Void, Never>) { owner = task }

    private func read(_ inbound: SecureChannel.Inbound) async {
        do {
            for try await message in inbound { record(Array(buffer: message)) }
        } catch let error as SecureChannelError {
            closeReason = error.message
            closeCode = error.closeCode
        } catch {
            closeReason = "\(error)"
        }
        ended = true
        wake()
        done.resume()
    }

    private func record(_ bytes: [UInt8]) {
        if let type = bytes.first, PairMessage.isPairing(type), let message = try? PairMessage(bytes: bytes) {
            received.append(.pairing(message))
        } else if let type = bytes.first, SyncMessage.isSync(type), let message = try? SyncMessage(bytes: bytes) {
            received.append(.sync(message))
        } else {
            received.append(.other(bytes))
        }
        wake()
    }

    private func wake() {
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.resume() }
    }

    // MARK: Sending

    /// Sends raw application-message bytes (anything at all).
    public func send(_ bytes: [UInt8]) async throws { try await outbound.send(bytes) }

    /// Sends a pairing message.
    public func send(_ message: PairMessage) async throws { try await outbound.send(message.bytes) }

    /// Sends a sync message.
    public func send(_ message: SyncMessage) async throws { try await outbound.send(message.bytes) }

    /// Closes the channel with `reason` and waits until it has ended.
    public func close(reason: String = "done") async {
        try? await outbound.close(.normal, reason: reason)
        await owner?.value
    }

    // MARK: Receiving

    /// Everything received so far.
    public var all: [Received] { received }

    /// The reason the node gave when it closed the channel, once it has.
    public var closedBecause: String? { closeReason }

    /// The close code of the node's CLOSE record, once it closed the channel with one.
    public private(set) var closeCode: CloseCode?

    /// Whether the channel has ended.
    public var isClosed: Bool { ended }

    /// Waits for the first received message (from the start) for which `match` returns a
    /// value, and returns that value; nil when the channel ends first.
    public func first<T: Sendable>(_ match: @Sendable (Received) -> T?, skipping: Int = 0) async -> T? {
        var index = 0
        var skipped = 0
        while true {
            while index < received.count {
                if let value = match(received[index]) {
                    if skipped == skipping { return value }
                    skipped += 1
                }
                index += 1
            }
            if ended || Task.isCancelled { return nil }
            await park()
        }
    }

    /// Waits for the first pairing message matching `match` (from the start).
    public func pairing<T: Sendable>(_ match: @escaping @Sendable (PairMessage) -> T?) async -> T? {
        await first { if case .pairing(let message) = $0 { return match(message) } else { return nil } }
    }

    /// Waits for the first sync message matching `match` (from the start).
    public func sync<T: Sendable>(_ match: @escaping @Sendable (SyncMessage) -> T?) async -> T? {
        await first { if case .sync(let message) = $0 { return match(message) } else { return nil } }
    }

    /// Waits until `condition` holds over everything received so far (checked on each
    /// arrival); false when the channel ends first.
    public func waitUntil(_ condition: @Sendable ([Received]) -> Bool) async -> Bool {
        while !condition(received) {
            if ended || Task.isCancelled { return false }
            await park()
        }
        return true
    }

    /// Bytes the node acknowledged (the sum of its ACKs, §8.2).
    public static func acknowledged(_ received: [Received]) -> Int {
        received.reduce(0) { total, message in
            if case .sync(.ack(let bytes)) = message { return total + Int(bytes) }
            return total
        }
    }

    /// Waits until the node has closed the channel; returns its reason.
    public func waitUntilClosed() async -> String? {
        while !ended && !Task.isCancelled { await park() }
        return closeReason
    }

    /// Waits for the next arrival, the end of the channel, or the test's cancellation (a
    /// time limit reached): a failing test fails instead of hanging.
    private func park() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiters.append($0) }
        } onCancel: {
            Task { await self.wake() }
        }
    }
}
