import Foundation
import Logging
import NIOCore
import NIOPosix
import WeMeetChannel
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetModel

/// The radar: turns discovery events into one entry per nearby node, keyed by node ID,
/// and keeps each entry honest with liveness probes.
///
/// mDNS goodbyes make a node that stops cleanly disappear at once, but a crashed host sends
/// none and caches keep its records for up to 75 minutes. So every ``probeInterval`` the
/// radar checks each entry that has no open channel with a TCP connect to its advertised
/// address (closed at once, no handshake); two failures in a row mark it gone, and a later
/// answer (or a new announcement) brings it back.
package actor Radar {
    private struct Tracked {
        var instances: [String: Sighting] = [:]
        var lastSeen = Date()
        var present = false
        var failures = 0
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
    private let sighted: @Sendable (NodeID, Sighting) async -> Void
    private var tracked: [NodeID: Tracked] = [:]
    private var state = RadarSnapshot.Discovery.unavailable
    private var detail: String? = "starting"
    private var warned = false
    private var requestedName: String?
    private var advertisedAs: String?
    /// An advertisement waiting to replace the current one (``readvertise(_:)``).
    private var replacement: Advertisement?

    package init(
        ownID: NodeID, discovery: any DiscoveryService, events: EventHub, logger: Logger,
        probeInterval: Duration, probeTimeout: Duration,
        isConnected: @escaping @Sendable (NodeID) async -> Bool,
        isFriend: @escaping @Sendable (NodeID) async -> Bool,
        sighted: @escaping @Sendable (NodeID, Sighting) async -> Void
    ) {
        self.ownID = ownID
        self.discovery = discovery
        self.events = events
        self.logger = logger
        self.probeInterval = probeInterval
        self.probeTimeout = probeTimeout
        self.isConnected = isConnected
        self.isFriend = isFriend
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
                    try? await Task.sleep(for: self.probeInterval)
                    if Task.isCancelled { break }
                    await self.probeAll()
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
        await sighted(nodeID, sighting)
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

    private func probeAll() async {
        logger.trace("liveness probes", metadata: ["count": "\(tracked.count)"])
        let targets = tracked.compactMap { nodeID, entry in entry.latest.map { (nodeID, $0) } }
        let timeout = probeTimeout
        let connected = isConnected
        let results = await withTaskGroup(of: (NodeID, Bool).self) { group in
            for (nodeID, sighting) in targets {
                group.addTask {
                    if await connected(nodeID) { return (nodeID, true) }
                    return (nodeID, await Self.probe(sighting, timeout: timeout))
                }
            }
            var results: [(NodeID, Bool)] = []
            for await result in group { results.append(result) }
            return results
        }
        for (nodeID, alive) in results { await record(nodeID, alive: alive) }
    }

    private func record(_ nodeID: NodeID, alive: Bool) async {
        guard var entry = tracked[nodeID] else { return }
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
