import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetStore

/// A running WeMeet node: its store, its listener, its connections and its control API.
///
/// `Node` is a swift-service-lifecycle `Service`: ``run()`` serves until cancelled or until
/// graceful shutdown (SIGINT/SIGTERM under a `ServiceGroup`), then stops accepting, closes
/// every channel with "shutting down", lets the store finish its last commit and releases
/// the home.
public actor Node: Service {
    private enum State {
        case idle
        case running(listener: ChannelListener, manager: ConnectionManager, store: Store, radar: Radar?)
        case stopped
    }

    public nonisolated let home: NodeHome
    public nonisolated let configuration: NodeConfiguration
    public nonisolated let identity: NodeIdentity
    /// Events for the control API and tests.
    public nonisolated let events = EventHub()
    private let logger: Logger
    private var state = State.idle
    private var listening: [CheckedContinuation<PeerAddress, any Error>] = []
    private var boundAddress: PeerAddress?

    /// Prepares a node for `home`, whose identity must exist.
    public init(
        home: NodeHome, configuration: NodeConfiguration, logger: Logger = Logger(label: "wemeet.node")
    )
        throws(NodeError)
    {
        self.home = home
        self.configuration = configuration
        self.identity = try NodeIdentity.load(from: home)
        var logger = logger
        logger[metadataKey: "node"] = "\(identity.nodeID.shortForm)"
        self.logger = logger
    }

    /// The control socket's path.
    public nonisolated var controlSocketPath: String { home.path + "/control.sock" }

    /// Runs the node until the task is cancelled or a graceful shutdown is requested.
    public func run() async throws {
        let credentials = ChannelCredentials(identityKey: identity.privateKey, displayName: identity.name)
        let store: Store
        do {
            store = try Store(directory: home.storePath, logger: logger)
        } catch {
            throw NodeError(code: .io, message: error.message)
        }
        if let note = store.recoveryNote { logger.warning("store recovery", metadata: ["detail": "\(note)"]) }
        let listener: ChannelListener
        do {
            listener = try await ChannelListener.bind(
                host: configuration.listen.host, port: configuration.listen.port, credentials: credentials,
                configuration: configuration.channel, logger: logger)
        } catch {
            throw NodeError(
                code: .io,
                message: "cannot listen on \(configuration.listen): \(error) (is another node using that port?)")
        }
        let manager = ConnectionManager(
            credentials: credentials, configuration: configuration, events: events, logger: logger)
        let bound = PeerAddress(
            host: configuration.listen.host, port: listener.localAddress?.port ?? configuration.listen.port)
        boundAddress = bound
        let radar = configuration.mdns ? makeRadar(manager: manager) : nil
        state = .running(listener: listener, manager: manager, store: store, radar: radar)
        logger.info(
            "node running",
            metadata: [
                "nodeID": "\(identity.nodeID)", "listen": "\(bound)",
                "mdns": "\(configuration.mdns ? "on" : "disabled")",
            ])
        events.publish(NodeEvent(type: "node.listening", address: bound.description))
        for waiter in listening { waiter.resume(returning: bound) }
        listening = []
        for peer in configuration.staticPeers { await manager.addStaticPeer(peer) }

        let configuration = configuration
        let controlSocketPath = controlSocketPath
        let logger = logger
        let events = events
        do {
            // On SIGINT/SIGTERM: the listener is cancelled, the event streams end, and the
            // control API (a Hummingbird service) finishes its requests and stops by itself.
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await cancelWhenGracefulShutdown {
                            try await listener.run { channel in await manager.run(channel) }
                        }
                    }
                    if let radar {
                        let advertisement = self.advertisement(port: bound.port)
                        group.addTask { await cancelWhenGracefulShutdown { await radar.run(advertisement) } }
                    }
                    if configuration.controlAPI {
                        let api = ControlAPI(node: self, socketPath: controlSocketPath, logger: logger)
                        group.addTask { try await api.run() }
                    }
                    try await group.waitForAll()
                }
            } onGracefulShutdown: {
                events.finish()
            }
        } catch is CancellationError {
            // Cancelled or graceful shutdown: the normal way to stop.
        } catch {
            await shutdown(manager)
            throw error
        }
        await shutdown(manager)
    }

    private func makeRadar(manager: ConnectionManager) -> Radar {
        Radar(
            ownID: identity.nodeID, discovery: configuration.discovery ?? DNSSDDiscovery(logger: logger),
            events: events, logger: logger, probeInterval: configuration.radarProbeInterval,
            probeTimeout: configuration.radarProbeTimeout,
            isConnected: { await manager.isConnected($0) },
            isFriend: { _ in false },
            sighted: { _, _ in })
    }

    /// What this node announces: its name with a node-ID suffix, its port and its record.
    private func advertisement(port: Int) -> Advertisement {
        let record = NodeRecord(nodeID: identity.nodeID, protocolVersion: Int(WeMeetVersion.protocolVersion))
        return Advertisement(
            instanceName: Advertisement.instanceName(displayName: identity.name, record: record), port: port,
            record: record)
    }

    private func shutdown(_ manager: ConnectionManager) async {
        logger.info("node stopping: closing channels")
        events.publish(NodeEvent(type: "node.stopping"))
        await manager.stop()
        events.finish()
        state = .stopped
        try? FileManager.default.removeItem(atPath: controlSocketPath)
        logger.info("node stopped")
    }

    /// Waits until the node listens; returns the bound address (its port when asked for 0).
    public func listeningAddress() async throws -> PeerAddress {
        if let boundAddress { return boundAddress }
        return try await withCheckedThrowingContinuation { listening.append($0) }
    }

    /// Starts keeping a connection to `address`.
    public func addStaticPeer(_ address: PeerAddress) async throws(NodeError) {
        guard case .running(_, let manager, _, _) = state else {
            throw NodeError(code: .notRunning, message: "the node is not running")
        }
        await manager.addStaticPeer(address)
    }

    /// A snapshot of identity, listener and connections.
    public func status() async -> NodeStatus {
        var peers: [NodeStatus.Peer] = []
        var dialing: [NodeStatus.Dial] = []
        var entries = 0
        var handshakes = 0
        let radar = await radar()
        if case .running(let listener, let manager, let store, _) = state {
            (peers, dialing) = await manager.snapshot()
            entries = await store.entryCount
            handshakes = listener.counts.pendingHandshakes
        }
        return NodeStatus(
            nodeID: identity.nodeID.description, name: identity.name, version: WeMeetVersion.software,
            protocolVersion: Int(WeMeetVersion.protocolVersion), listen: boundAddress?.description ?? "",
            discovery: radar.discovery, discoveryDetail: radar.detail, advertisedAs: radar.advertisedAs,
            nearby: radar.nearby.count, entries: entries,
            handshakesInProgress: handshakes, peers: peers,
            dialing: dialing)
    }

    /// Nearby nodes and the state of local discovery.
    public func radar() async -> RadarSnapshot {
        guard case .running(_, _, _, let radar?) = state else {
            return RadarSnapshot(
                discovery: configuration.mdns ? "unavailable" : "disabled",
                detail: configuration.mdns ? "the node is not running" : nil, advertisedAs: nil, nearby: [])
        }
        return await radar.snapshot()
    }
}
