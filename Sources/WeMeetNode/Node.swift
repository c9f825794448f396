import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import WeMeetAttachments
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// A running WeMeet node: its store, its listener, its connections and its control API.
///
/// `Node` is a swift-service-lifecycle `Service`: ``run()`` serves until cancelled or until
/// graceful shutdown (SIGINT/SIGTERM under a `ServiceGroup`), then stops accepting, closes
/// every channel with "shutting down", lets the store finish its last commit and releases
/// the home.
public actor Node: Service {
    private enum State {
        case idle
        case running(Running)
        case stopped
    }

    /// The parts of a running node.
    package struct Running {
        package var listener: ChannelListener
        package var manager: ConnectionManager
        package var store: Store
        package var radar: Radar?
        package var friends: FriendBook
        package var pairing: Pairing
        package var sync: Sync
        package var messages: DirectMessages
        package var groups: Groups
        package var settings: NodeSettings
        package var chatPreferences: ChatPreferences
        package var quotas: Quotas
        package var growth: FeedGrowth
        package var policyChanges: PolicyChanges
        package var attachments: Attachments
        package var typing: TypingIndicators
        /// What friends said of their friends and relaying, and mail held for them (§8.5).
        package var mutual: MutualFriends
        package var relay: RelayHold
        /// The channel credentials (their name changes with ``Node/rename(_:)``).
        package var credentials: ChannelCredentials
    }

    public nonisolated let home: NodeHome
    public nonisolated let configuration: NodeConfiguration
    public nonisolated let identity: NodeIdentity
    /// Events for the control API and tests.
    public nonisolated let events = EventHub()
    package let logger: Logger
    private var state = State.idle
    /// The display name now: `identity.name` until ``rename(_:)``.
    public private(set) var name: String
    private var listening: [CheckedContinuation<PeerAddress, any Error>] = []
    private var boundAddress: PeerAddress?
    /// Why the node failed to start, once it has: who asks for its address later learns it
    /// at once (a second node on a home whose store is locked used to wait here for ever,
    /// deaf to SIGTERM).
    private var startFailure: (any Error)?

    /// Prepares a node for `home`, whose identity must exist.
    public init(
        home: NodeHome, configuration: NodeConfiguration, logger: Logger = Logger(label: "wemeet.node")
    )
        throws(NodeError)
    {
        self.home = home
        self.configuration = configuration
        self.identity = try NodeIdentity.load(from: home)
        self.name = identity.name
        var logger = logger
        logger[metadataKey: "node"] = "\(identity.nodeID.shortForm)"
        self.logger = logger
    }

    /// The control socket's path.
    public nonisolated var controlSocketPath: String { home.path + "/control.sock" }

    /// Runs the node until the task is cancelled or a graceful shutdown is requested.
    public func run() async throws {
        do { try await serve() } catch {
            // Whoever waits for the listener learns that the node did not start, now or later.
            if boundAddress == nil { startFailure = error }
            for waiter in listening { waiter.resume(throwing: error) }
            listening = []
            throw error
        }
    }

    private func serve() async throws {
        let credentials = ChannelCredentials(identityKey: identity.privateKey, displayName: name)
        let store: Store
        do {
            store = try Store(directory: home.storePath, clock: configuration.clock, logger: logger)
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
            credentials: credentials,
            configuration: PeersConfiguration(
                channel: configuration.channel, backoffStart: configuration.backoffStart,
                backoffCap: configuration.backoffCap),
            events: events, logger: logger)
        let bound = PeerAddress(
            host: configuration.listen.host, port: listener.localAddress?.port ?? configuration.listen.port)
        boundAddress = bound
        // What the features announce, for sync and the node to act on (one way: no feature
        // holds sync).
        let growth = FeedGrowth()
        let policyChanges = PolicyChanges()
        let finds = AttachmentFinds()
        let friends: FriendBook
        let settings: NodeSettings
        let chatPreferences: ChatPreferences
        let groups: Groups
        do {
            friends = try await FriendBook(store: store, key: identity.privateKey)
            settings = try await NodeSettings(store: store, key: identity.privateKey)
            chatPreferences = try await ChatPreferences(store: store, key: identity.privateKey)
            groups = try await Groups(
                key: identity.privateKey, name: name, store: store, friends: friends, growth: growth,
                policyChanges: policyChanges, finds: finds, events: events, logger: logger,
                recallsPath: home.path + "/recalled-posts", clock: configuration.arrivalClock)
        } catch {
            throw NodeError(code: .io, message: "cannot read friends, settings or groups from the store: \(error)")
        }
        let overlay = OverlayArranger(friends: friends, groups: groups, manager: manager)
        let radar =
            configuration.mdns
            ? makeRadar(manager: manager, friends: friends, groups: groups, overlay: overlay) : nil
        await overlay.arrange(radar: radar)
        let pairing = Pairing(
            ownID: identity.nodeID, manager: manager, friends: friends,
            nearby: { [weak radar] in await radar?.addresses() ?? [] }, policyChanges: policyChanges, events: events,
            logger: logger, settle: configuration.pairingSettle)
        let relayed = RelayedMail(path: home.path + "/relayed-mail")
        let messages = DirectMessages(
            key: identity.privateKey, store: store, friends: friends, growth: growth, finds: finds, events: events,
            logger: logger, countsPath: home.inboxCountsPath, recallsPath: home.path + "/recalled",
            clock: configuration.arrivalClock, relayed: relayed)
        let relaying = await settings.values.relayForFriends
        let mutual = MutualFriends(
            own: identity.nodeID, friends: friends, transport: manager, path: home.path + "/mutual-friends",
            relays: relaying, events: events, logger: logger)
        let relay = RelayHold(
            directory: home.path + "/relay", clock: configuration.clock, logger: logger)
        let policy = NodePolicy(
            own: identity.nodeID.publicKey, friends: friends, groups: groups, settings: settings,
            readability: DirectReadability(key: identity.privateKey), mutual: mutual, relay: relay,
            messages: messages)
        let quotas = Quotas(own: identity.nodeID, limits: await settings.quotas)
        await quotas.load(await store.usage()) { feed in
            guard feed.kind == .group else { return false }
            return !(await groups.takesPart(in: GroupID(rawValue: feed.audience)))
        }
        let sync = Sync(
            store: store, relay: relay, relayed: relayed, own: identity.nodeID.publicKey, policy: policy,
            quotas: quotas,
            transport: manager,
            events: events, logger: logger, consumers: [messages, groups])
        let attachments: Attachments
        do {
            attachments = try await Attachments(
                directory: home.path + "/blobs", own: identity.nodeID, policy: policy, transport: manager,
                quotas: quotas,
                automaticBytes: await settings.values.automaticAttachmentBytes ?? configuration.automaticFetchBytes,
                events: events, logger: logger, clock: configuration.clock)
        } catch {
            throw NodeError(code: .io, message: error.message)
        }
        await Self.expireHeld(relay: relay, attachments: attachments, clock: configuration.clock, relaying: relaying)
        let typing = TypingIndicators(
            enabled: await settings.values.typingIndicators, friends: friends, transport: manager, events: events,
            clock: configuration.arrivalClock, logger: logger)
        await manager.block(await friends.blockedNodes)
        // Friends and fellow members are never strangers: strangers' channels are bounded
        // apart, so they cannot use up what friends need (Protocol.md §4.6). Told again on
        // every change of who they are.
        await manager.setKnown(await Self.known(friends: friends, groups: groups))
        // Routes what arrives on each channel to pairing and sync (by message type).
        let router = NodeDelegate(
            friends: friends, pairing: pairing, sync: sync, attachments: attachments, typing: typing, mutual: mutual,
            messages: messages, settings: settings,
            manager: manager, events: events, logger: logger)
        state = .running(
            Running(
                listener: listener, manager: manager, store: store, radar: radar, friends: friends, pairing: pairing,
                sync: sync, messages: messages, groups: groups, settings: settings, chatPreferences: chatPreferences,
                quotas: quotas, growth: growth,
                policyChanges: policyChanges, attachments: attachments, typing: typing, mutual: mutual, relay: relay,
                credentials: credentials))
        logger.info(
            "node running",
            metadata: [
                "nodeID": "\(identity.nodeID)", "listen": "\(bound)",
                "mdns": "\(configuration.mdns ? "on" : "disabled")",
            ])
        events.publish(NodeEvent(type: .nodeListening, address: bound.description))
        for waiter in listening { waiter.resume(returning: bound) }
        listening = []
        for peer in configuration.staticPeers { await manager.addStaticPeer(peer) }

        let configuration = configuration
        let controlSocketPath = controlSocketPath
        let logger = logger
        let events = events
        do {
            // On SIGINT/SIGTERM: the listener is cancelled and the event streams end (a control
            // API serving this node finishes its requests and stops by itself).
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await cancelWhenGracefulShutdown {
                            try await listener.run { channel in await manager.run(channel) }
                        }
                    }
                    // Every channel the manager keeps is read here, each by a task of its own.
                    group.addTask {
                        await cancelWhenGracefulShutdown {
                            await withDiscardingTaskGroup { readers in
                                for await channel in manager.channels {
                                    readers.addTask { await manager.serve(channel, routingTo: router) }
                                }
                            }
                        }
                    }
                    // This node's appends go to sync, which pushes and offers them.
                    group.addTask {
                        await cancelWhenGracefulShutdown {
                            for await grown in growth.appended { await sync.advanced(grown) }
                        }
                    }
                    // Who may sync what changed: sync looks again, and fellow members nearby
                    // are dialled on the groups' overlays (Protocol.md §10.5, §10.9).
                    group.addTask {
                        await cancelWhenGracefulShutdown {
                            for await change in policyChanges.changes {
                                if case .friendAdded(let nodeID) = change { await sync.friendAdded(nodeID) }
                                // Friends are told who else we have, for relaying (§8.5).
                                _ = await mutual.changed(relays: await settings.values.relayForFriends)
                                await manager.setKnown(await Self.known(friends: friends, groups: groups))
                                await sync.policyChanged()
                                await overlay.arrange()
                            }
                        }
                    }
                    // The inbox's counts are read once in the background, so its first call is quick.
                    group.addTask { await messages.countAll(await friends.all) }
                    // References found in entries go to the catalogue; a tick retries stalled fetches.
                    group.addTask {
                        await cancelWhenGracefulShutdown {
                            await attachments.resume()
                            for await found in finds.found { await attachments.found(found) }
                        }
                    }
                    group.addTask {
                        await cancelWhenGracefulShutdown {
                            var ticks = 0
                            while !Task.isCancelled {
                                try? await Task.sleep(for: .seconds(1))
                                await attachments.tick()
                                ticks += 1
                                // Overlay links that crashed or left are replaced (§10.9).
                                if ticks % 5 == 0 {
                                    await overlay.arrange()
                                }
                                // Mail and blobs held for friends past the hold time go, each minute.
                                if ticks % 60 == 0 {
                                    await Self.expireHeld(
                                        relay: relay, attachments: attachments, clock: configuration.clock,
                                        relaying: await settings.values.relayForFriends)
                                }
                            }
                        }
                    }
                    if let radar {
                        let advertisement = self.advertisement(port: bound.port)
                        group.addTask { await cancelWhenGracefulShutdown { await radar.run(advertisement) } }
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

    /// Friends and fellow members: the nodes that are not strangers (§4.6).
    private static func known(friends: FriendBook, groups: Groups) async -> Set<NodeID> {
        Set(await friends.all.map(\.nodeID)).union(await groups.fellows())
    }

    private func makeRadar(
        manager: ConnectionManager, friends: FriendBook, groups: Groups, overlay: OverlayArranger
    ) -> Radar {
        Radar(
            ownID: identity.nodeID, discovery: configuration.discovery ?? DNSSDDiscovery(logger: logger),
            events: events, logger: logger, probeInterval: configuration.radarProbeInterval,
            probeTimeout: configuration.radarProbeTimeout,
            isConnected: { await manager.isConnected($0) },
            isFriend: { await friends.isFriend($0) },
            // Friends and overlay links are checked when no channel is open (§5.4).
            isKnown: { await friends.isFriend($0) ? true : await manager.isWanted($0) },
            sighted: { radar, nodeID, sighting in
                // Friends seen nearby are dialled and kept connected (Protocol.md §5.5); a
                // fellow group member seen changes the overlay, which dials its links (§10.9).
                guard let host = sighting.addresses.first else { return }
                if await friends.isFriend(nodeID) {
                    await manager.addStaticPeer(PeerAddress(host: host, port: sighting.port), friend: nodeID)
                } else if await groups.sharesGroup(with: nodeID) {
                    await overlay.arrange(radar: radar)
                }
            })
    }

    /// What this node announces: its name with a node-ID suffix, its port and its record.
    private func advertisement(port: Int) -> Advertisement {
        let record = NodeRecord(nodeID: identity.nodeID, protocolVersion: Int(WeMeetVersion.protocolVersion))
        return Advertisement(
            instanceName: Advertisement.instanceName(displayName: name, record: record), port: port,
            record: record)
    }

    private func shutdown(_ manager: ConnectionManager) async {
        logger.info("node stopping: closing channels")
        events.publish(NodeEvent(type: .nodeStopping))
        await manager.stop()
        if case .running(let running) = state {
            await running.sync.stop()
            running.growth.finish()
            running.policyChanges.finish()
        }
        events.finish()
        state = .stopped
        try? FileManager.default.removeItem(atPath: controlSocketPath)
        logger.info("node stopped")
    }

    /// Waits until the node listens; returns the bound address (its port when asked for 0).
    public func listeningAddress() async throws -> PeerAddress {
        if let boundAddress { return boundAddress }
        if let startFailure { throw startFailure }
        return try await withCheckedThrowingContinuation { listening.append($0) }
    }

    /// Starts keeping a connection to `address`.
    public func addStaticPeer(_ address: PeerAddress) async throws(NodeError) {
        let running = try running()
        if let bound = boundAddress, address.port == bound.port,
            ["127.0.0.1", "localhost", "::1", "0.0.0.0", "::", bound.host].contains(address.host.lowercased())
        {
            throw NodeError(
                code: .invalidArgument,
                message: "\(address) is this node's own address; give the address of another node")
        }
        await running.manager.addStaticPeer(address)
    }

    /// Changes this node's display name (Protocol.md §2, "Profile file"): kept in the profile,
    /// sent in every handshake from now on, advertised on the radar again, and written in the
    /// group join records to come. Friends learn it when they next connect (§6.5). Returns
    /// the name as kept (trimmed).
    @discardableResult
    public func rename(_ newName: String) async throws(NodeError) -> String {
        let kept = try NodeIdentity.rename(in: home, to: newName)
        guard kept != name else { return kept }
        name = kept
        if case .running(let running) = state {
            running.credentials.rename(kept)
            await running.groups.rename(kept)
            if let radar = running.radar, let port = boundAddress?.port {
                await radar.readvertise(advertisement(port: port))
            }
        }
        logger.info("renamed", metadata: ["name": "\(kept)"])
        events.publish(NodeEvent(type: .nodeRenamed, name: kept))
        return kept
    }

    /// A snapshot of identity, listener and connections.
    public func status() async -> NodeStatus {
        var peers: [NodeStatus.Peer] = []
        var dialing: [NodeStatus.Dial] = []
        var entries = 0
        var handshakes = 0
        let radar = await radar()
        var sync: [NodeStatus.SyncPeer] = []
        var bytesSent = 0
        var storage: NodeStatus.Storage?
        var relay: NodeStatus.Relay?
        if case .running(let running) = state {
            storage = await running.quotas.status()
            if await running.settings.values.relayForFriends { relay = await running.relay.usage() }
            bytesSent = await running.manager.bytesSent
            (peers, dialing) = await running.manager.snapshot()
            entries = await running.store.entryCount
            handshakes = running.listener.counts.pendingHandshakes
            sync = await running.sync.status()
        }
        return NodeStatus(
            nodeID: identity.nodeID, name: name, version: WeMeetVersion.software,
            protocolVersion: Int(WeMeetVersion.protocolVersion), listen: boundAddress?.description ?? "",
            discovery: radar.discovery, discoveryDetail: radar.detail, advertisedAs: radar.advertisedAs,
            nearby: radar.nearby.count, entries: entries,
            handshakesInProgress: handshakes, peers: peers,
            dialing: dialing, sync: sync, bytesSent: bytesSent, storage: storage, relay: relay)
    }

    /// Nearby nodes and the state of local discovery.
    public func radar() async -> RadarSnapshot {
        guard case .running(let running) = state, let radar = running.radar else {
            return RadarSnapshot(
                discovery: configuration.mdns ? .unavailable : .disabled,
                detail: configuration.mdns ? "the node is not running" : nil, advertisedAs: nil, nearby: [])
        }
        return await radar.snapshot()
    }

    // MARK: Friends and pairing

    package func running() throws(NodeError) -> Running {
        guard case .running(let running) = state else {
            throw NodeError(code: .notRunning, message: "the node is not running")
        }
        return running
    }

    /// Presses pair for `window` (Protocol.md §6): someone is looking at the radar meanwhile.
    public func pair(window: Duration, interactive: Bool, target: String?) async throws(NodeError) -> PairingStatus {
        let running = try running()
        await running.radar?.watch(for: window + .seconds(10))
        return try await running.pairing.press(window: window, interactive: interactive, target: target)
    }

    /// Someone looks at the radar (its screen, `radar --watch`) for the next minute: nearby
    /// strangers are checked for liveness meanwhile (Protocol.md §5.4). Renewed by calling again.
    public func watchRadar() async -> RadarWatch {
        guard case .running(let running) = state, let radar = running.radar else { return RadarWatch(seconds: 0) }
        await radar.watch()
        return RadarWatch(seconds: Int(Radar.look.components.seconds))
    }

    /// Picks one of several people pressing at once.
    public func choosePairing(_ choice: String) async throws(NodeError) -> PairingStatus {
        try await running().pairing.choose(choice)
    }

    /// Ends the current press.
    public func cancelPairing() async throws(NodeError) {
        try await running().pairing.cancel()
    }

    /// The current or last press.
    public func pairingStatus() async throws(NodeError) -> PairingStatus {
        try await running().pairing.status()
    }

    /// Friends, by name, with the user's remarks, mute and pin.
    public func friends() async throws(NodeError) -> [Friend] {
        let running = try running()
        var out: [Friend] = []
        for friend in await running.friends.all {
            out.append(friend.with(await running.chatPreferences.preference(ChatPreferences.chat(friend.nodeID))))
        }
        return out
    }

    /// Finds a friend by node ID or unique name.
    public func findFriend(_ text: String) async throws(NodeError) -> Friend {
        let all = try await friends()
        if let id = try? NodeID(text), let friend = all.first(where: { $0.nodeID == id }) { return friend }
        // A remark is the user's own name for a friend: it finds the friend first.
        let remarked = all.filter { $0.remark == text }
        if remarked.count == 1 { return remarked[0] }
        let named = all.filter { $0.name == text }
        if named.count == 1 { return named[0] }
        if named.count > 1 {
            throw NodeError(
                code: .conflict,
                message: "several friends are called \(text): "
                    + named.map { "\($0.name) \($0.nodeID.shortForm)" }.joined(separator: ", ")
                    + "; use the node ID")
        }
        throw NodeError(code: .notFound, message: "no friend called \(text) (see `wemeet friends`)")
    }

    /// Unpairs a friend (it is told when it next connects, or now if connected).
    public func unpair(_ text: String) async throws(NodeError) -> Friend {
        let friend = try await findFriend(text)
        let running = try running()
        let (friends, manager) = (running.friends, running.manager)
        let nodeID = friend.nodeID
        do { _ = try await friends.remove(nodeID) } catch {
            throw NodeError(code: .io, message: "cannot record the change: \(error)")
        }
        if await manager.send(PairMessage.unpaired.bytes, to: nodeID) { await friends.removalDelivered(nodeID) }
        await manager.forgetFriend(nodeID)
        await manager.close(nodeID, reason: "unpaired")
        await running.sync.policyChanged()
        events.publish(NodeEvent(type: .friendRemoved, peer: friend.nodeID, name: friend.name))
        return friend
    }

    /// Blocks a node: no connections either way, and no longer a friend. Returns its node ID.
    @discardableResult
    public func block(_ text: String) async throws(NodeError) -> NodeID {
        let nodeID: NodeID
        do { nodeID = try NodeID(text) } catch {
            throw NodeError(code: .invalidArgument, message: "\"\(text)\" is not a node ID: \(error)")
        }
        let running = try running()
        let (friends, manager) = (running.friends, running.manager)
        do { try await friends.block(nodeID) } catch {
            throw NodeError(code: .io, message: "cannot record the change: \(error)")
        }
        await manager.block([nodeID])
        await manager.forgetFriend(nodeID)
        await manager.close(nodeID, code: .notAuthorised, reason: "blocked")
        await running.sync.policyChanged()
        events.publish(NodeEvent(type: .friendBlocked, peer: nodeID))
        return nodeID
    }

    // MARK: Direct messages

    /// Sends `text` to a friend (name or node ID); durable here when it returns.
    public func sendMessage(to friend: String, text: String) async throws(NodeError) -> DirectMessage {
        let friend = try await findFriend(friend)
        let running = try running()
        var message = try await running.messages.send(text, to: friend)
        message.friendOnline = await running.manager.peer(friend.nodeID) != nil
        return message
    }

    /// The conversation with a friend, in the order this node received it (oldest first);
    /// `after` a message ID returns only later ones (a cursor that never misses a message).
    public func messages(
        with friend: String, since: Date? = nil, after: String? = nil, limit: Int? = nil
    ) async throws(NodeError)
        -> [DirectMessage]
    {
        try await messagePage(with: friend, since: since, after: after, limit: limit).messages
    }

    /// One page of a conversation (``messages(with:since:after:limit:)``), `before` the
    /// cursor of a later page, with the cursor of the page before it (`earlier`).
    public func messagePage(
        with friend: String, since: Date? = nil, after: String? = nil, before: PageCursor? = nil, limit: Int? = nil
    ) async throws(NodeError)
        -> MessageList
    {
        try Self.check(limit: limit)
        let friend = try await findFriend(friend)
        let page = try await running().messages.conversation(
            with: friend, since: since, after: after, before: before?.offset, limit: limit)
        return MessageList(messages: page.messages, earlier: page.earlier.map(PageCursor.init(offset:)))
    }

    /// Recalls one of this node's own messages to a friend, within 2 minutes of sending it.
    public func recall(_ message: String, with friend: String) async throws(NodeError) -> DirectMessage {
        let friend = try await findFriend(friend)
        return try await running().messages.recall(message, in: friend)
    }

    /// Marks a conversation read (the friend sees "read").
    public func markRead(_ friend: String) async throws(NodeError) {
        let friend = try await findFriend(friend)
        try await running().messages.markRead(friend)
    }

    /// Conversations with unread counts, most recent first.
    public func inbox() async throws(NodeError) -> [ConversationSummary] {
        let running = try running()
        var out: [ConversationSummary] = []
        for var conversation in try await running.messages.inbox(await running.friends.all) {
            let preference = await running.chatPreferences.preference(ChatPreferences.chat(conversation.friend))
            conversation.remark = preference.remark
            conversation.muted = preference.muted
            conversation.pinned = preference.pinned
            out.append(conversation)
        }
        // Pinned chats first, each part in the order it had.
        return out.filter { $0.pinned == true } + out.filter { $0.pinned != true }
    }

    /// Sets the user's remark, mute or pin for a friend's chat (on this node only).
    public func setPreference(
        friend text: String, _ change: ChatPreferenceChange
    ) async throws(NodeError)
        -> ChatPreference
    {
        let friend = try await findFriend(text)
        let preferences = try running().chatPreferences
        let preference = try await preferences.change(ChatPreferences.chat(friend.nodeID), change)
        events.publish(NodeEvent(type: .chatChanged, peer: friend.nodeID, name: friend.name))
        return preference
    }

    /// The head of every feed in the store (for tests and diagnostics).
    package func feedHeads() async throws(NodeError) -> [FeedID: UInt64] {
        await (try running()).store.heads()
    }
}
