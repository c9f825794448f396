import Foundation
import Logging
import NIOCore
import NIOPosix
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetModel

/// The radar: turns discovery events into one entry per nearby node, keyed by node ID,
/// and keeps entries honest at a cost that does not grow with the crowd (Protocol.md §5.4).
///
/// mDNS goodbyes make a node that stops cleanly disappear at once, and the daemon's caches
/// drop a node whose records expire; a crashed host sends no goodbye. A node with an open
/// channel is alive while the channel is (keepalives). Friends and fellow members without a
/// channel are checked every ``probeInterval`` with a TCP connect (closed at once, no
/// handshake) — as many as one has friends, not strangers. Strangers are checked only while
/// someone looks (``watch(for:)``: the radar screen, `radar --watch`, a press), each at most
/// once per ``probeInterval`` and at most ``strangerProbesPerSecond`` in all, least recently
/// checked first; and once when a stranger marked gone is announced again. Two failures in a
/// row (the second one tick after the first) mark an entry gone; a later answer brings it back.
package actor Radar {
    private struct Tracked {
        var instances: [String: Sighting] = [:]
        var lastSeen = Date()
        var present = false
        var failures = 0
        /// When it is next due a check (if it is checked at all).
        var nextProbe = ContinuousClock.now
        /// Announced again after it was marked gone: checked once, watched or not.
        var confirm = false
        /// The most recently resolved sighting.
        var latest: Sighting? { instances.values.max { $0.instanceName < $1.instanceName } }
    }

    private let ownID: NodeID
    private let discovery: any DiscoveryService
    private let events: EventHub
    private let logger: Logger
    private let probeInterval: Duration
    private let probeTimeout: Duration
    private let isConnected: @Sendable (NodeID) async -> Bool
    private let isFriend: @Sendable (NodeID) async -> Bool
    private let isKnown: @Sendable (NodeID) async -> Bool
    private let sighted: @Sendable (Radar, NodeID, Sighting) async -> Void
    private var tracked: [NodeID: Tracked] = [:]
    private var state = RadarSnapshot.Discovery.unavailable
    private var detail: String? = "starting"
    private var warned = false
    private var requestedName: String?
    private var advertisedAs: String?
    /// An advertisement waiting to replace the current one (``readvertise(_:)``).
    private var replacement: Advertisement?
    /// Until when someone looks at the radar (strangers are checked until then).
    private var watchedUntil: ContinuousClock.Instant?

    /// The most strangers' entries checked per second, while someone looks.
    package static let strangerProbesPerSecond = 10
    /// How long one look lasts unless renewed (`POST /v1/radar/watch`).
    package static let look = Duration.seconds(60)

    package init(
        ownID: NodeID, discovery: any DiscoveryService, events: EventHub, logger: Logger,
        probeInterval: Duration, probeTimeout: Duration,
        isConnected: @escaping @Sendable (NodeID) async -> Bool,
        isFriend: @escaping @Sendable (NodeID) async -> Bool,
        isKnown: @escaping @Sendable (NodeID) async -> Bool,
        sighted: @escaping @Sendable (Radar, NodeID, Sighting) async -> Void
    ) {
        self.ownID = ownID
        self.discovery = discovery
        self.events = events
        self.logger = logger
        self.probeInterval = probeInterval
        self.probeTimeout = probeTimeout
        self.isConnected = isConnected
        self.isFriend = isFriend
        self.isKnown = isKnown
        self.sighted = sighted
    }

    /// Advertises and browses until cancelled, then withdraws the advertisement.
    package func run(_ advertisement: Advertisement) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Discovery runs with one advertisement; a new one (``readvertise(_:)``)
                // stops it, and it starts again with the new one.
                var next: Advertisement? = advertisement
                while let current = next, !Task.isCancelled {
                    await self.requesting(current.instanceName)
                    let stream = await self.discovery.start(current)
                    for await event in stream { await self.handle(event) }
                    next = await self.takeReplacement()
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.tick)
                    if Task.isCancelled { break }
                    await self.probeDue()
                }
            }
            // Until cancelled; then stop() sends goodbyes and ends the event stream.
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            await discovery.stop()
            group.cancelAll()
        }
    }

    /// Advertises `advertisement` instead of the current one (a new name): discovery stops
    /// (withdrawing the old name) and starts again with it.
    package func readvertise(_ advertisement: Advertisement) async {
        replacement = advertisement
        await discovery.stop()
    }

    private func requesting(_ name: String) { requestedName = name }

    private func takeReplacement() -> Advertisement? {
        defer { replacement = nil }
        return replacement
    }

    // MARK: Discovery events

    private func handle(_ event: DiscoveryEvent) async {
        switch event {
        case .available:
            if state == .unavailable && warned {
                logger.notice("local discovery (mDNS) is back")
            }
            state = .active
            detail = nil
            events.publish(NodeEvent(type: .radarDiscovery, detail: RadarSnapshot.Discovery.active.rawValue))
        case .unavailable(let error):
            if !warned {
                warned = true
                logger.warning(
                    "local discovery unavailable: \(error.message); static --peer addresses still work, retrying")
            }
            advertisedAs = nil
            if state != .unavailable || detail != error.message {
                state = .unavailable
                detail = error.message
                events.publish(NodeEvent(type: .radarDiscovery, detail: "unavailable: \(error.message)"))
            }
        case .registered(let name):
            if name != advertisedAs {
                advertisedAs = name
                if name != requestedName {
                    logger.notice(
                        "advertised name was taken on the network; advertising as another",
                        metadata: ["requested": "\(requestedName ?? "")", "advertised": "\(name)"])
                } else {
                    logger.info("advertising on the local network", metadata: ["instance": "\(name)"])
                }
                events.publish(NodeEvent(type: .radarAdvertised, detail: name))
            }
        case .found(let sighting):
            await found(sighting)
        case .lost(let name):
            lost(name)
        case .rejected(let name, let reason):
            logger.debug("ignoring a service instance", metadata: ["instance": "\(name)", "reason": "\(reason)"])
        }
    }

    private func found(_ sighting: Sighting) async {
        let nodeID = sighting.record.nodeID
        guard nodeID != ownID, !sighting.addresses.isEmpty else { return }
        let isNew = tracked[nodeID] == nil
        var entry = tracked[nodeID] ?? Tracked()
        let before = entry.latest
        entry.instances[sighting.instanceName] = sighting
        // A re-resolve may be answered from the daemon's cache, so it is no proof of life: an
        // entry the probes marked gone comes back only when a probe succeeds again.
        let appeared = isNew
        if isNew {
            entry.present = true
            entry.lastSeen = Date()
        } else if !entry.present {
            // Gone, and announced again (a restart): one check decides, watched or not.
            entry.confirm = true
            entry.nextProbe = .now
        }
        tracked[nodeID] = entry
        if appeared {
            logger.info(
                "nearby node appeared",
                metadata: [
                    "peer": "\(nodeID)", "name": "\(name(of: sighting))", "address": "\(address(of: sighting))",
                ])
            events.publish(
                NodeEvent(
                    type: .radarAppeared, peer: nodeID, address: address(of: sighting),
                    detail: name(of: sighting)))
        } else if let before, address(of: before) != address(of: sighting) || name(of: before) != name(of: sighting) {
            logger.info(
                "nearby node changed",
                metadata: [
                    "peer": "\(nodeID)", "name": "\(name(of: sighting))", "address": "\(address(of: sighting))",
                ])
            events.publish(
                NodeEvent(
                    type: .radarUpdated, peer: nodeID, address: address(of: sighting),
                    detail: name(of: sighting)))
        }
        await sighted(self, nodeID, sighting)
    }

    private func lost(_ instanceName: String) {
        guard let (nodeID, found) = tracked.first(where: { $0.value.instances[instanceName] != nil }) else { return }
        var entry = found
        entry.instances[instanceName] = nil
        if entry.instances.isEmpty {
            tracked[nodeID] = nil
            if entry.present { gone(nodeID, reason: .left) }
        } else {
            tracked[nodeID] = entry
        }
    }

    private func gone(_ nodeID: NodeID, reason: NodeEvent.GoneReason) {
        logger.info("nearby node gone", metadata: ["peer": "\(nodeID)", "reason": "\(reason)"])
        events.publish(NodeEvent(type: .radarGone, peer: nodeID, detail: reason.rawValue))
    }

    // MARK: Liveness

    /// Someone looks at the radar for `duration` (renewed by calling again): strangers'
    /// entries are checked until then.
    package func watch(for duration: Duration = Radar.look) {
        let until = ContinuousClock.now + duration
        if watchedUntil.map({ $0 < until }) ?? true { watchedUntil = until }
    }

    /// Whether someone looks at the radar now.
    package var isWatched: Bool { watchedUntil.map { ContinuousClock.now < $0 } ?? false }

    /// How often the radar looks for entries due a check: a fifth of ``probeInterval``.
    private var tick: Duration { probeInterval / 5 }

    /// Checks the entries due: those with a channel are alive; friends and fellow members
    /// are probed; strangers only while watched (or to confirm a return), at most
    /// ``strangerProbesPerSecond``, least recently checked first.
    private func probeDue() async {
        let now = ContinuousClock.now
        let watched = isWatched
        var known: [(NodeID, Sighting)] = []
        var strangers: [(NodeID, Sighting, ContinuousClock.Instant)] = []
        for (nodeID, entry) in tracked where entry.nextProbe <= now {
            guard let latest = entry.latest else { continue }
            if await isConnected(nodeID) {
                await record(nodeID, alive: true)
            } else if await isKnown(nodeID) {
                known.append((nodeID, latest))
            } else if watched || entry.confirm {
                strangers.append((nodeID, latest, entry.nextProbe))
            } else {
                // A stranger while nobody looks: not checked; looked at again an interval on.
                tracked[nodeID]?.nextProbe = now + probeInterval
            }
        }
        let budget = max(1, Int(Double(Self.strangerProbesPerSecond) * tick.seconds))
        let chosen = strangers.sorted { $0.2 < $1.2 }.prefix(budget).map { ($0.0, $0.1) }
        let targets = known + chosen
        guard !targets.isEmpty else { return }
        logger.trace("liveness probes", metadata: ["known": "\(known.count)", "strangers": "\(chosen.count)"])
        let timeout = probeTimeout
        let results = await withTaskGroup(of: (NodeID, Bool).self) { group in
            for (nodeID, sighting) in targets {
                group.addTask { (nodeID, await Self.probe(sighting, timeout: timeout)) }
            }
            var results: [(NodeID, Bool)] = []
            for await result in group { results.append(result) }
            return results
        }
        for (nodeID, alive) in results { await record(nodeID, alive: alive) }
    }

    private func record(_ nodeID: NodeID, alive: Bool) async {
        guard var entry = tracked[nodeID] else { return }
        entry.confirm = false
        // A failure is checked again at the next tick; otherwise the next is an interval on.
        entry.nextProbe = .now + (alive || entry.failures >= 1 ? probeInterval : tick)
        if alive {
            entry.failures = 0
            entry.lastSeen = Date()
            if !entry.present, let latest = entry.latest {
                entry.present = true
                tracked[nodeID] = entry
                events.publish(
                    NodeEvent(
                        type: .radarAppeared, peer: nodeID, address: address(of: latest),
                        detail: name(of: latest)))
                return
            }
        } else {
            entry.failures += 1
            logger.debug("liveness probe failed", metadata: ["peer": "\(nodeID)", "failures": "\(entry.failures)"])
            if entry.failures >= 2 && entry.present {
                entry.present = false
                gone(nodeID, reason: .unreachable)
            }
            // Its port or address may have changed (a restart): ask the daemon again.
            for name in entry.instances.keys { await discovery.refresh(instanceName: name) }
        }
        tracked[nodeID] = entry
    }

    /// Whether a TCP connection to the sighting's first address succeeds within `timeout`.
    private static func probe(_ sighting: Sighting, timeout: Duration) async -> Bool {
        guard let host = sighting.addresses.first else { return false }
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(Int64(timeout.seconds * 1e9)))
                .connect(host: host, port: sighting.port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }

    // MARK: Snapshot

    /// Node IDs and addresses of the nodes listed now (for pairing to contact).
    package func addresses() -> [(NodeID, PeerAddress)] {
        tracked.compactMap { nodeID, entry in
            guard entry.present, let latest = entry.latest, let host = latest.addresses.first else { return nil }
            return (nodeID, PeerAddress(host: host, port: latest.port))
        }
    }

    package func snapshot() async -> RadarSnapshot {
        var nearby: [RadarEntry] = []
        for (nodeID, entry) in tracked where entry.present {
            guard let latest = entry.latest else { continue }
            nearby.append(
                RadarEntry(
                    nodeID: nodeID, name: name(of: latest), instances: entry.instances.keys.sorted(),
                    addresses: latest.addresses, port: latest.port, friend: await isFriend(nodeID),
                    connected: await isConnected(nodeID), lastSeen: entry.lastSeen,
                    attributes: latest.record.attributes))
        }
        nearby.sort { ($0.name, $0.nodeID) < ($1.name, $1.nodeID) }
        return RadarSnapshot(discovery: state, detail: detail, advertisedAs: advertisedAs, nearby: nearby)
    }

    private func name(of sighting: Sighting) -> String {
        DisplayName.received(
            Advertisement.displayName(instanceName: sighting.instanceName, record: sighting.record),
            from: sighting.record.nodeID)
    }

    private func address(of sighting: Sighting) -> String {
        PeerAddress(host: sighting.addresses.first ?? sighting.host, port: sighting.port).description
    }
}
