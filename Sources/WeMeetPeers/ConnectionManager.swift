import Foundation
import Logging
import NIOCore
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel

/// Keeps the node's connections: at most one per peer, redialled with jittered exponential
/// backoff while the peer is a static peer, and visible as ``NodeStatus``.
///
/// **One connection per pair** (Protocol.md §4.8): when two authenticated connections to
/// the same peer exist — both sides dialled at once — the one *initiated by the node with
/// the smaller node ID* is kept and the other is closed with code 5 (duplicate connection).
/// Both ends apply the same rule to the same two connections, so they agree without
/// talking. Between two connections with the same initiator (a peer that restarted while
/// its old connection has not timed out yet), the newer one is kept.
package actor ConnectionManager {
    package struct Connection {
        package var id: Int
        package var peer: PeerInfo
        package var writer: SecureChannelWriter
        package var since: Date
        /// Inbound from a node that is neither a friend nor a fellow member (§4.6).
        package var stranger = false
        /// When it last sent an application message (nil: never). Strangers that never did go
        /// first, oldest first; then the one quiet longest.
        package var lastActive: ContinuousClock.Instant?
        /// Closed to make room for another stranger; gone once its reader ends.
        package var evicted = false

        package init(id: Int, peer: PeerInfo, writer: SecureChannelWriter, since: Date) {
            self.id = id
            self.peer = peer
            self.writer = writer
            self.since = since
        }

        /// The IP address the channel comes from.
        var host: String {
            let address = peer.remoteAddress
            guard let colon = address.lastIndex(of: ":") else { return address }
            return String(address[..<colon])
        }
    }

    private struct Dialer {
        var state = NodeStatus.Dial.State.connecting
        var nodeID: NodeID?
        var attempts = 0
        var nextAttempt: Date?
        var lastError: String?
        var task: Task<Void, Never>?
        /// The friend the radar added this dialler for (nil for a static `--peer`).
        var friend: NodeID?
    }

    private let credentials: ChannelCredentials
    private let configuration: PeersConfiguration
    private let events: EventHub
    private let logger: Logger
    private var connections: [NodeID: Connection] = [:]
    private var dialers: [PeerAddress: Dialer] = [:]
    private var nextConnectionID = 0
    private var disconnectWaiters: [NodeID: [CheckedContinuation<Void, Never>]] = [:]
    private var connectWaiters: [NodeID: [CheckedContinuation<Bool, Never>]] = [:]
    private var stopping = false
    /// Application bytes written to channels, as on the wire.
    package private(set) var bytesSent = 0
    /// Each channel kept, for the node's one reader (``serve(_:routingTo:)``).
    package nonisolated let channels: AsyncStream<PeerChannel>
    private nonisolated let channelSink: AsyncStream<PeerChannel>.Continuation
    /// Kept channels handed to the reader and not yet finished with, by connection ID: each
    /// one's ``run(_:dialed:)`` waits here until the reader is done (or the node stops).
    private var handoffs: [Int: CheckedContinuation<Void, Never>] = [:]

    /// Nodes whose channels are refused (kept in step with the friend book).
    private var blocked: Set<NodeID> = []
    /// Whom this node knows (friends, fellow members), as the node last told it: everyone
    /// else dialling in is a stranger, whose channels are bounded apart (nil: nobody is a
    /// stranger). Pushed by the node, so deciding costs a channel no wait.
    private var known: Set<NodeID>?

    /// How long a fellow member stays dialled after it stopped being an overlay link (§10.9).
    package static let unlinkGrace = Duration.seconds(30)
    /// Since when each fellow member this node dials or dialled is no longer a link.
    private var unlinkedSince: [NodeID: ContinuousClock.Instant] = [:]
    /// Fellow members who are not friends (group channels, bounded apart: §4.6).
    private var fellowsOnly: Set<NodeID> = []
    /// Fellow members this node keeps channels to: its links on its groups' overlays (§10.9).
    private var links: Set<NodeID> = []

    /// Whether this node keeps a channel to `nodeID` (a friend or an overlay link): the
    /// radar checks these when no channel is open (§5.4).
    package func isWanted(_ nodeID: NodeID) -> Bool {
        links.contains(nodeID) || (known?.contains(nodeID) == true && !fellowsOnly.contains(nodeID))
    }

    /// The group channels open: to fellow members who are not friends.
    package func groupChannels() -> Int { connections.keys.filter { fellowsOnly.contains($0) }.count }

    /// Arranges the group overlay (Protocol.md §10.9): dials the `links` listed at
    /// `addresses` that no channel reaches, stops dialling fellow members (`fellows`, who
    /// are not friends) that are no longer links, and closes the channels this node opened
    /// to them. A channel a fellow member opened stays (it may see the ring otherwise for a
    /// while); it is the opener's to close, and such channels have their own share.
    package func arrangeOverlay(links: Set<NodeID>, fellows: Set<NodeID>, addresses: [NodeID: PeerAddress]) {
        guard !stopping else { return }
        self.links = links
        fellowsOnly = fellows
        // A former link is let go only once it has not been one for a while: while members
        // join, the ring shifts under many members at once, and links would flap.
        let now = ContinuousClock.now
        unlinkedSince = unlinkedSince.filter { fellows.contains($0.key) && !links.contains($0.key) }
        func due(_ nodeID: NodeID) -> Bool {
            guard let since = unlinkedSince[nodeID] else {
                unlinkedSince[nodeID] = now
                return false
            }
            return now - since >= Self.unlinkGrace
        }
        for (address, dialer) in dialers {
            guard let nodeID = dialer.friend, fellows.contains(nodeID), !links.contains(nodeID), due(nodeID) else {
                continue
            }
            dialer.task?.cancel()
            dialers[address] = nil
        }
        for (nodeID, connection) in connections
        where fellows.contains(nodeID) && !links.contains(nodeID) && connection.peer.isInitiator && !connection.evicted
            && due(nodeID)
        {
            connections[nodeID]?.evicted = true
            logger.debug(
                "channel to a fellow member closed: no longer an overlay link", metadata: ["peer": "\(nodeID)"])
            Task { try? await connection.writer.close(.normal, reason: "not an overlay link any more") }
        }
        let dialled = Set(dialers.values.compactMap(\.friend))
        for nodeID in links where connections[nodeID] == nil && !dialled.contains(nodeID) {
            if let address = addresses[nodeID] { addStaticPeer(address, friend: nodeID) }
        }
    }

    /// Sets who is not a stranger (``PeersConfiguration/maximumStrangers``); a stranger now
    /// known (just paired, or joined a group) stops being one.
    package func setKnown(_ nodeIDs: Set<NodeID>) {
        known = nodeIDs
        for (nodeID, connection) in connections where connection.stranger && nodeIDs.contains(nodeID) {
            connections[nodeID]?.stranger = false
        }
    }

    /// Whether a channel from `peer` (dialled by this node at `address`, or not) is a stranger's.
    private func isStranger(_ peer: PeerInfo, dialed address: PeerAddress?) -> Bool {
        guard address == nil, !peer.isInitiator, let known else { return false }
        return !known.contains(peer.nodeID)
    }

    /// A stranger's channel sent a message: it is not idle.
    private func touch(_ id: Int, _ nodeID: NodeID) {
        if connections[nodeID]?.id == id { connections[nodeID]?.lastActive = .now }
    }

    /// Refuses channels from and to `nodeIDs` from now on.
    package func block(_ nodeIDs: some Sequence<NodeID>) { blocked.formUnion(nodeIDs) }

    package init(credentials: ChannelCredentials, configuration: PeersConfiguration, events: EventHub, logger: Logger) {
        self.credentials = credentials
        (channels, channelSink) = AsyncStream<PeerChannel>.makeStream()
        self.configuration = configuration
        self.events = events
        self.logger = logger
    }

    // MARK: Connections

    /// Runs one authenticated channel for its whole life: registers it (or refuses it as a
    /// duplicate), hands it to the reader (``channels``) and waits until the reader is done
    /// with it, then unregisters it.
    package nonisolated func run(_ channel: SecureChannel, dialed address: PeerAddress? = nil) async {
        let peer = channel.peer
        var logger = logger
        logger[metadataKey: "peer"] = "\(peer.nodeID)"
        do {
            try await channel.executeThenClose { inbound, outbound in
                let id: Int
                let stranger: Bool
                switch await self.register(peer, writer: outbound, dialed: address) {
                case .kept(let kept, let isStranger): (id, stranger) = (kept, isStranger)
                case .refused(let code, let reason):
                    // One refusal, with its own code: a blocked node always hears "blocked" (6).
                    await self.settleConnectWaiters(peer.nodeID)
                    try await outbound.close(code, reason: reason)
                    return
                }
                let handed = PeerChannel(
                    peer: peer, id: id, inbound: inbound, writer: outbound, stranger: stranger)
                await withTaskCancellationHandler {
                    await withCheckedContinuation { done in
                        Task { await self.handOff(handed, until: done) }
                    }
                } onCancel: {
                    Task { await self.release(id) }
                }
                // The reader unregistered it already, unless this was cancelled (the node is
                // stopping, or the dialler was dropped): then the reader, ending next, is told
                // it was the kept channel, so the node hears that the peer is gone.
                await self.unregisterCancelled(peer.nodeID, id: id)
            }
        } catch {
            logger.debug("connection ended", metadata: ["reason": "\(error)"])
        }
    }

    /// Gives `channel` to the reader; `done` resumes when it is finished with it.
    private func handOff(_ channel: PeerChannel, until done: CheckedContinuation<Void, Never>) {
        handoffs[channel.id] = done
        guard !stopping, case .enqueued = channelSink.yield(channel) else {
            release(channel.id)
            return
        }
    }

    /// Lets the channel's ``run(_:dialed:)`` go on (and close it).
    private func release(_ id: Int) {
        handoffs.removeValue(forKey: id)?.resume()
    }

    /// The reader is done with `channel`: it is unregistered and closed. Returns whether it
    /// was still the peer's kept channel (then the peer is disconnected now).
    package func finished(_ channel: PeerChannel) -> Bool {
        defer { release(channel.id) }
        return unregister(channel.peer.nodeID, id: channel.id) || cancelled.remove(channel.id) != nil
    }

    /// Kept channels unregistered because their ``run(_:dialed:)`` was cancelled before the
    /// reader finished with them (by connection ID).
    private var cancelled: Set<Int> = []

    private func unregisterCancelled(_ nodeID: NodeID, id: Int) {
        if unregister(nodeID, id: id) { cancelled.insert(id) }
    }

    /// Reads one kept channel to its end, routing each application message to `delegate`
    /// (which hears of the channel first, and of its end if it was still the kept one).
    package nonisolated func serve(_ channel: PeerChannel, routingTo delegate: some ConnectionDelegate) async {
        let peer = channel.peer
        var logger = logger
        logger[metadataKey: "peer"] = "\(peer.nodeID)"
        await delegate.connected(peer)
        do {
            for try await message in channel.inbound {
                if channel.stranger { await touch(channel.id, peer.nodeID) }
                if case .close(let code, let reason) = await delegate.received(Array(buffer: message), from: peer) {
                    logger.info("closing connection", metadata: ["reason": "\(reason)"])
                    try? await channel.writer.close(code, reason: reason)
                    break
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["reason": "\(error)"])
        }
        if Task.isCancelled { try? await channel.writer.close(.shuttingDown, reason: "node is shutting down") }
        if await finished(channel) { await delegate.disconnected(peer) }
    }

    /// What becomes of a new channel.
    private enum Registration {
        /// Kept, under this connection ID; a stranger's or not.
        case kept(Int, stranger: Bool)
        /// Refused: closed with this code and reason.
        case refused(CloseCode, String)
    }

    /// Decides whether a new channel is kept.
    private func register(
        _ peer: PeerInfo, writer: SecureChannelWriter, dialed address: PeerAddress?
    )
        -> Registration
    {
        let stranger = isStranger(peer, dialed: address)
        guard !stopping else { return .refused(.shuttingDown, "node is shutting down") }
        if blocked.contains(peer.nodeID) {
            logger.info("connection from a blocked node refused", metadata: ["peer": "\(peer.nodeID)"])
            return .refused(.notAuthorised, "blocked")
        }
        // The dial is over once its connection is kept or refused (a refusal means the other
        // direction's connection is kept): only now may status say "connected".
        if let address {
            update(address) {
                $0.state = .connected; $0.nodeID = peer.nodeID; $0.attempts = 0; $0.lastError = nil
            }
        }
        nextConnectionID += 1
        var new = Connection(id: nextConnectionID, peer: peer, writer: writer, since: Date())
        new.stranger = stranger
        if stranger, connections[peer.nodeID] == nil { makeRoomForStranger(new) }
        if isSpareFellow(peer), connections[peer.nodeID] == nil { makeRoomForFellow() }
        if let existing = connections[peer.nodeID] {
            let newPreferred = isPreferred(new.peer)
            let oldPreferred = isPreferred(existing.peer)
            if oldPreferred && !newPreferred {
                logger.info(
                    "duplicate connection refused",
                    metadata: ["peer": "\(peer.nodeID)", "session": "\(Hex.encode(peer.handshakeHash.prefix(4)))"])
                events.publish(
                    NodeEvent(
                        type: .peerDuplicateRefused, peer: peer.nodeID, address: peer.remoteAddress))
                return .refused(.duplicateConnection, "already connected to this node")
            }
            logger.info(
                "duplicate connection replaces the older one",
                metadata: [
                    "peer": "\(peer.nodeID)", "session": "\(Hex.encode(peer.handshakeHash.prefix(4)))",
                    "old": "\(Hex.encode(existing.peer.handshakeHash.prefix(4)))",
                ])
            Task {
                try? await existing.writer.close(.duplicateConnection, reason: "replaced by the preferred connection")
            }
        }
        connections[peer.nodeID] = new
        for waiter in connectWaiters.removeValue(forKey: peer.nodeID) ?? [] { waiter.resume(returning: true) }
        logger.info(
            "peer connected",
            metadata: [
                "peer": "\(peer.nodeID)", "name": "\(peer.displayName)", "address": "\(peer.remoteAddress)",
                "direction": "\(peer.isInitiator ? "outbound" : "inbound")",
                "session": "\(Hex.encode(peer.handshakeHash.prefix(4)))",
            ])
        events.publish(
            NodeEvent(
                type: .peerConnected, peer: peer.nodeID, address: peer.remoteAddress,
                detail: peer.isInitiator ? "outbound" : "inbound"))
        return .kept(new.id, stranger: stranger)
    }

    /// Strangers' channels are bounded apart, so that strangers cannot use up what friends
    /// and fellow members need (Protocol.md §4.6): at most ``PeersConfiguration/maximumStrangersPerAddress``
    /// from one address and ``PeersConfiguration/maximumStrangers`` in all. Past either, the
    /// idlest stranger's channel (of that address, or of all) is closed (code 9) to make room:
    /// one that never sent a message (the oldest of those first), else the one quiet longest.
    /// A stranger pressing pair has spoken, so a flood of silent channels cannot push it out.
    private func makeRoomForStranger(_ new: Connection) {
        let strangers = connections.values.filter { $0.stranger && !$0.evicted }
        let sameHost = strangers.filter { $0.host == new.host }
        let pool =
            sameHost.count >= configuration.maximumStrangersPerAddress
            ? sameHost : strangers.count >= configuration.maximumStrangers ? strangers : []
        guard
            let idlest = pool.min(by: { a, b in
                switch (a.lastActive, b.lastActive) {
                case (nil, nil): a.id < b.id
                case (nil, _): true
                case (_, nil): false
                case (let x?, let y?): x < y
                }
            })
        else { return }
        connections[idlest.peer.nodeID]?.evicted = true
        logger.info(
            "idle stranger's channel closed to make room",
            metadata: ["peer": "\(idlest.peer.nodeID)", "address": "\(idlest.peer.remoteAddress)"])
        Task { try? await idlest.writer.close(.overloaded, reason: "too many strangers' channels; this one was idle") }
    }

    /// A channel a fellow member (not a friend) opened that is not one of this node's overlay
    /// links: kept within the group channels' share (§4.6).
    private func isSpareFellow(_ peer: PeerInfo) -> Bool {
        !peer.isInitiator && fellowsOnly.contains(peer.nodeID) && !links.contains(peer.nodeID)
    }

    /// Past ``PeersConfiguration/maximumSpareFellows`` spare group channels (``isSpareFellow(_:)``),
    /// the oldest is closed (code 9): fellow members cannot use up what friends and this
    /// node's own overlay links need.
    private func makeRoomForFellow() {
        let spare = connections.values.filter { isSpareFellow($0.peer) && !$0.evicted }
        guard spare.count >= configuration.maximumSpareFellows,
            let idlest = spare.min(by: { $0.id < $1.id })
        else { return }
        connections[idlest.peer.nodeID]?.evicted = true
        logger.info("oldest spare group channel closed to make room", metadata: ["peer": "\(idlest.peer.nodeID)"])
        Task {
            try? await idlest.writer.close(.overloaded, reason: "too many group channels that are not overlay links")
        }
    }

    /// The connection initiated by the smaller node ID is the one both ends keep.
    private func isPreferred(_ peer: PeerInfo) -> Bool {
        let initiator = peer.isInitiator ? credentials.nodeID : peer.nodeID
        let other = peer.isInitiator ? peer.nodeID : credentials.nodeID
        return initiator < other
    }

    @discardableResult
    private func unregister(_ nodeID: NodeID, id: Int) -> Bool {
        guard connections[nodeID]?.id == id else { return false }
        connections[nodeID] = nil
        logger.info("peer disconnected", metadata: ["peer": "\(nodeID)"])
        events.publish(NodeEvent(type: .peerDisconnected, peer: nodeID))
        for waiter in disconnectWaiters.removeValue(forKey: nodeID) ?? [] { waiter.resume() }
        return true
    }

    /// Returns once no connection to `nodeID` is open.
    private func waitUntilDisconnected(_ nodeID: NodeID) async {
        guard connections[nodeID] != nil else { return }
        await withCheckedContinuation { disconnectWaiters[nodeID, default: []].append($0) }
    }

    // MARK: Dialling

    /// Starts keeping a connection to `address` (idempotent).
    package func addStaticPeer(_ address: PeerAddress, friend: NodeID? = nil) {
        guard dialers[address] == nil, !stopping else { return }
        var dialer = Dialer()
        dialer.friend = friend
        dialer.task = Task { await self.dialLoop(address) }
        dialers[address] = dialer
    }

    /// Stops the diallers the radar added for `nodeID` (it is no longer a friend); static
    /// `--peer` diallers stay.
    package func forgetFriend(_ nodeID: NodeID) {
        for (address, dialer) in dialers where dialer.friend == nodeID {
            dialer.task?.cancel()
            dialers[address] = nil
        }
    }

    private func dialLoop(_ address: PeerAddress) async {
        while !Task.isCancelled && !stopping {
            if let known = dialers[address]?.nodeID { await waitUntilDisconnected(known) }
            guard !Task.isCancelled && !stopping else { return }
            update(address) {
                $0.state = .connecting; $0.nextAttempt = nil
            }
            events.publish(NodeEvent(type: .peerConnecting, address: address.description))
            do {
                let channel = try await SecureChannel.connect(
                    host: address.host, port: address.port, credentials: credentials,
                    configuration: configuration.channel, logger: logger)
                // Its registration says "connected" (kept, or refused for the other direction's
                // connection); until then the dial is still connecting.
                await run(channel, dialed: address)
                // If the other direction's connection was kept, wait for it to end instead.
                continue
            } catch {
                let reason = (error as? SecureChannelError)?.message ?? "\(error)"
                logger.debug("dial failed", metadata: ["address": "\(address)", "reason": "\(reason)"])
                events.publish(NodeEvent(type: .peerDialFailed, address: address.description, detail: reason))
                update(address) {
                    $0.lastError = reason; $0.attempts += 1
                }
            }
            let delay = backoff(attempt: dialers[address]?.attempts ?? 1)
            update(address) {
                $0.state = .waiting; $0.nextAttempt = Date().addingTimeInterval(delay.seconds)
            }
            try? await Task.sleep(for: delay)
        }
    }

    /// `start × 2^(attempt−1)`, capped, times a random factor in [0.5, 1.5).
    private func backoff(attempt: Int) -> Duration {
        let base = configuration.backoffStart * (1 << min(max(attempt - 1, 0), 20))
        let capped = min(base, configuration.backoffCap)
        return capped * (0.5 + Double(Random.uniform(1_000_000)) / 1_000_000)
    }

    private func update(_ address: PeerAddress, _ change: (inout Dialer) -> Void) {
        guard var dialer = dialers[address] else { return }
        let before = dialer.state
        change(&dialer)
        dialers[address] = dialer
        if dialer.state != before {
            events.publish(NodeEvent(type: .peerDialState, address: address.description, detail: dialer.state.rawValue))
        }
    }

    // MARK: Messages

    /// Sends one application message to a connected peer; false when not connected. With
    /// `session` (a handshake hash), only on that channel: a message computed for one
    /// channel (a pairing commitment) must not go out on the one that replaced it.
    @discardableResult
    package func send(_ bytes: [UInt8], to nodeID: NodeID, session: [UInt8]? = nil) async -> Bool {
        guard let connection = connections[nodeID] else { return false }
        if let session, connection.peer.handshakeHash != session { return false }
        do {
            try await connection.writer.send(bytes)
            // As on the wire: per record a u16 length, a type byte and a 16-byte tag (§4.5).
            bytesSent += bytes.count + 19 * max(1, (bytes.count + 65_517) / 65_518)
            return true
        } catch {
            logger.debug("send failed", metadata: ["peer": "\(nodeID)", "reason": "\(error)"])
            return false
        }
    }

    /// Makes sure a channel to `nodeID` is open, dialling `address` once if needed (no
    /// redialling); returns whether one is open. The dialled node must be `nodeID`.
    package func ensureConnection(to nodeID: NodeID, at address: PeerAddress) async -> Bool {
        if connections[nodeID] != nil { return true }
        guard !stopping else { return false }
        do {
            let channel = try await SecureChannel.connect(
                host: address.host, port: address.port, credentials: credentials,
                configuration: configuration.channel, logger: logger)
            guard channel.peer.nodeID == nodeID else {
                logger.info(
                    "dialled node is not the one advertised there",
                    metadata: ["address": "\(address)", "expected": "\(nodeID)", "found": "\(channel.peer.nodeID)"])
                try? await channel.executeThenClose { _, outbound in
                    try await outbound.close(.notAuthorised, reason: "not the node I was looking for")
                }
                return false
            }
            Task { await self.run(channel) }
        } catch {
            logger.debug("dial failed", metadata: ["address": "\(address)", "reason": "\(error)"])
            return connections[nodeID] != nil
        }
        if connections[nodeID] != nil { return true }
        return await withCheckedContinuation { connectWaiters[nodeID, default: []].append($0) }
    }

    private func settleConnectWaiters(_ nodeID: NodeID) {
        let open = connections[nodeID] != nil
        for waiter in connectWaiters.removeValue(forKey: nodeID) ?? [] { waiter.resume(returning: open) }
    }

    /// Closes the channel to `nodeID`, if one is open.
    package func close(_ nodeID: NodeID, code: CloseCode = .normal, reason: String) async {
        guard let connection = connections[nodeID] else { return }
        try? await connection.writer.close(code, reason: reason)
    }

    // MARK: Status and shutdown

    /// The peer at the other end of the open channel to `nodeID`.
    package func peer(_ nodeID: NodeID) -> PeerInfo? { connections[nodeID]?.peer }

    /// The peers of every open channel.
    package func peers() -> [PeerInfo] { connections.values.map(\.peer) }

    /// Whether a channel to `nodeID` is open.
    package func isConnected(_ nodeID: NodeID) -> Bool { connections[nodeID] != nil }

    package func snapshot() -> (peers: [NodeStatus.Peer], dialing: [NodeStatus.Dial]) {
        let peers = connections.values.sorted { $0.peer.nodeID < $1.peer.nodeID }.map {
            NodeStatus.Peer(
                nodeID: $0.peer.nodeID, name: $0.peer.displayName, address: $0.peer.remoteAddress,
                direction: $0.peer.isInitiator ? .outbound : .inbound, since: $0.since,
                session: Hex.encode($0.peer.handshakeHash.prefix(8)))
        }
        let dialing = dialers.sorted { $0.key.description < $1.key.description }.map {
            NodeStatus.Dial(
                address: $0.key.description, state: $0.value.state, nodeID: $0.value.nodeID,
                attempts: $0.value.attempts, nextAttempt: $0.value.nextAttempt, lastError: $0.value.lastError)
        }
        return (peers, dialing)
    }

    /// Stops dialling and closes every connection with "shutting down".
    package func stop() async {
        stopping = true
        // No more channels for the reader; those it was handed are let go as they close.
        channelSink.finish()
        for dialer in dialers.values { dialer.task?.cancel() }
        // The node's task is usually cancelled by now, and a write from a cancelled task is
        // refused: close from a fresh task, so every channel (dialled ones too, whose tasks
        // are not children of the node's) really ends and releases what it holds.
        let writers = connections.values.map(\.writer)
        await Task {
            await withTaskGroup(of: Void.self) { group in
                for writer in writers {
                    group.addTask { try? await writer.close(.shuttingDown, reason: "node is shutting down") }
                }
            }
        }.value
        for id in Array(handoffs.keys) { release(id) }
        for waiters in disconnectWaiters.values { for waiter in waiters { waiter.resume() } }
        disconnectWaiters = [:]
        for waiters in connectWaiters.values { for waiter in waiters { waiter.resume(returning: false) } }
        connectWaiters = [:]
        // Dials in flight end before the node says it stopped: cancelled mid-handshake, or
        // refused at registration; none reaches a peer after this returns.
        for dialer in dialers.values { await dialer.task?.value }
    }
}

extension Duration {
    package var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
