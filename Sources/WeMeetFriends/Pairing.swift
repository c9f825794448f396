import Foundation
import Logging
import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// Pairing by simultaneous press (Protocol.md §6): while a press lasts, this node contacts
/// every node on the radar, runs a commit–reveal exchange with each that is pressing too,
/// derives a six-digit code from each channel, and pairs only when the choice is
/// unambiguous on both sides — or explicit.
package actor Pairing {
    /// One node pressing at the same time: its name and the exchange with it (a sans-IO
    /// state machine holding everything else: nonces, code, confirmations, a decline).
    private struct Candidate {
        var name: String
        var exchange: PairingExchange

        var handshakeHash: [UInt8] { exchange.handshakeHash }
        var code: String? { exchange.code }
        var isLive: Bool { exchange.isLive }
    }

    private struct Session {
        var id: Int
        var window: Duration
        var deadline: ContinuousClock.Instant
        var endsAt: Date
        var interactive: Bool
        var target: String?
        var candidates: [NodeID: Candidate] = [:]
        var contacted: Set<NodeID> = []
        var firstCode: ContinuousClock.Instant?
        var severalHeard = false
        /// More than one candidate had a code at once in this press: from then on only an
        /// explicit choice pairs, so that nobody is paired because someone else let go.
        var sawSeveral = false
        var decided = false
        /// Nodes that broke the exchange in this press, with why: never paired in it (§6.3).
        var barred: [NodeID: String] = [:]
        /// Exchanges broken off after this node revealed its nonce, without a code (§6.4).
        var aborted = 0
    }

    /// Exchanges a press tolerates being broken off after our reveal before it ends: each
    /// gives a relay one more try at a matching code (Protocol.md §6.4).
    package static let abortLimit = 3

    private let ownID: NodeID
    private let manager: ConnectionManager
    private let friends: FriendBook
    private let nearby: @Sendable () async -> [(NodeID, PeerAddress)]
    private let events: EventHub
    private let logger: Logger
    /// How long after the first code a lone candidate is confirmed (a third presser a moment
    /// later makes the press ambiguous instead of losing the race).
    private let settle: Duration
    private var session: Session?
    private var last = PairingStatus.idle
    private var nextID = 0
    /// Ends the press when its window closes (cancelled when the press ends sooner, so a
    /// stopped node is not kept alive by it).
    private var windowTask: Task<Void, Never>?
    /// Where each completed pairing is announced (sync starts with the new friend).
    private let policyChanges: PolicyChanges

    package init(
        ownID: NodeID, manager: ConnectionManager, friends: FriendBook,
        nearby: @escaping @Sendable () async -> [(NodeID, PeerAddress)], policyChanges: PolicyChanges,
        events: EventHub, logger: Logger, settle: Duration
    ) {
        self.policyChanges = policyChanges
        self.ownID = ownID
        self.manager = manager
        self.friends = friends
        self.nearby = nearby
        self.events = events
        self.logger = logger
        self.settle = settle
    }

    // MARK: Pressing

    /// Starts a press. `interactive`: the user can pick among several candidates; `target`
    /// (a node ID or name) pairs only with that node.
    package func press(window: Duration, interactive: Bool, target: String?) async throws(NodeError) -> PairingStatus {
        guard session == nil else {
            throw NodeError(code: .conflict, message: "a pairing press is already in progress")
        }
        guard window >= .seconds(1), window <= .seconds(120) else {
            throw NodeError(code: .invalidArgument, message: "the pairing window must be 1 to 120 seconds")
        }
        nextID += 1
        let id = nextID
        session = Session(
            id: id, window: window, deadline: .now + window, endsAt: Date().addingTimeInterval(window.seconds),
            interactive: interactive, target: target)
        logger.info("pairing: pressed", metadata: ["window": "\(window)"])
        events.publish(NodeEvent(type: .pairPressed, detail: "\(Int(window.seconds))"))
        windowTask = Task { [weak self] in
            try? await Task.sleep(for: window)
            await self?.windowEnded(id)
        }
        let nearbyNodes = await nearby()
        // Friends are never candidates (Protocol.md §6.2): pressing does not re-pair them.
        for (nodeID, address) in nearbyNodes where nodeID != ownID {
            guard !(await friends.isFriend(nodeID)) else { continue }
            Task { await self.contact(nodeID, at: address, session: id) }
        }
        // Every node this node already has a channel to hears the press too — those dialled
        // through `--peer` or `POST /v1/peers`, which no radar lists (Protocol.md §6.2). The
        // press did not open these channels, so its end does not close them.
        let listed = Set(nearbyNodes.map(\.0))
        for peer in await manager.peers() where !listed.contains(peer.nodeID) {
            guard !(await friends.isBlocked(peer.nodeID)), !(await friends.isFriend(peer.nodeID)) else { continue }
            await manager.send(PairMessage.hello(pressing: true).bytes, to: peer.nodeID)
        }
        return status()
    }

    /// Says hello to a nearby node, dialling it if needed. Nodes with a smaller ID are
    /// dialled only after a moment: if they are pressing too they dial us first, so two
    /// presses at the same instant do not open two channels (§4.8 would close one of them
    /// in the middle of the exchange).
    private func contact(_ nodeID: NodeID, at address: PeerAddress, session id: Int) async {
        if nodeID < ownID, !(await manager.isConnected(nodeID)) {
            try? await Task.sleep(for: .milliseconds(300))
        }
        guard session?.id == id, !(await friends.isBlocked(nodeID)) else { return }
        session?.contacted.insert(nodeID)
        if await manager.ensureConnection(to: nodeID, at: address), session?.id == id {
            await manager.send(PairMessage.hello(pressing: true).bytes, to: nodeID)
        }
    }

    /// A channel to `peer` was registered: tell it we are pressing.
    package func connected(_ peer: PeerInfo) async {
        guard session != nil, !(await friends.isFriend(peer.nodeID)) else { return }
        await manager.send(PairMessage.hello(pressing: true).bytes, to: peer.nodeID)
    }

    /// The channel to `peer` ended. While pressing, a node we were talking to is contacted
    /// again: its channel may have been the one a previous press was closing just as this
    /// press began, and the exchange starts over on a new channel (§6.4).
    package func disconnected(_ peer: PeerInfo) async {
        guard let current = session,
            current.contacted.contains(peer.nodeID) || current.candidates[peer.nodeID] != nil
        else { return }
        if var candidate = current.candidates[peer.nodeID] {
            let actions = candidate.exchange.channelClosed(peer.handshakeHash)
            if candidate.exchange.state == .closed {
                session?.candidates[peer.nodeID] = nil
                if actions.contains(.abandonedAfterReveal), await countAbort() { return }
            }
        }
        let id = current.id
        Task {
            try? await Task.sleep(for: .milliseconds(200))
            guard let address = await self.nearby().first(where: { $0.0 == peer.nodeID })?.1 else { return }
            await self.contact(peer.nodeID, at: address, session: id)
        }
    }

    /// The user picks `choice` (node ID or name) among the candidates.
    package func choose(_ choice: String) async throws(NodeError) -> PairingStatus {
        guard var current = session else { throw NodeError(code: .conflict, message: "no pairing press in progress") }
        guard let nodeID = match(choice, in: current) else {
            throw NodeError(code: .notFound, message: "\"\(choice)\" is not among the people pressing pair now")
        }
        current.target = nodeID.description
        session = current
        await confirm(nodeID)
        return status()
    }

    /// Ends the press now (the hold-to-pair button was released).
    package func cancel() async {
        guard session != nil else { return }
        await end(message: "pairing cancelled", decline: .cancelled)
    }

    private func match(_ choice: String, in session: Session) -> NodeID? {
        let coded = session.candidates.filter { $0.value.code != nil }
        if let id = try? NodeID(choice), coded[id] != nil { return id }
        let byName = coded.filter { $0.value.name == choice }
        return byName.count == 1 ? byName.first?.key : nil
    }

    // MARK: Messages

    package func handle(_ message: PairMessage, from peer: PeerInfo) async -> MessageVerdict {
        let nodeID = peer.nodeID
        // A replaced channel may still deliver a few messages (§4.8); the exchange runs on the
        // channel kept for the node only, so the old one can never start a candidate again.
        if session != nil {
            let current = await manager.peer(nodeID)
            guard current?.handshakeHash == peer.handshakeHash else { return .keep }
        }
        switch message {
        case .hello(let pressing):
            if pressing { await ensureCandidate(peer) }
        case .commit, .reveal, .confirm:
            guard session != nil, session?.barred[nodeID] == nil else { return .keep }
            if case .commit = message { await ensureCandidate(peer) }
            // Messages of a channel that was replaced belong to no exchange (§6.4): the
            // exchange ignores them.
            guard var candidate = session?.candidates[nodeID] else { return .keep }
            let actions = candidate.exchange.receive(message, on: peer.handshakeHash)
            session?.candidates[nodeID] = candidate
            await perform(actions, for: nodeID)
        case .decline(let reason):
            guard var candidate = session?.candidates[nodeID] else { return .keep }
            let actions = candidate.exchange.receive(message)
            session?.candidates[nodeID] = candidate
            if reason == .severalPressed { session?.severalHeard = true }
            events.publish(NodeEvent(type: .pairDeclined, peer: nodeID, detail: Self.describe(reason)))
            await perform(actions, for: nodeID)
            if let id = session?.id { await decide(id) }
        case .unpaired:
            break
        }
        return .keep
    }

    /// Carries out what the exchange with `nodeID` asked for.
    private func perform(_ actions: [PairingExchange.Action], for nodeID: NodeID) async {
        guard let candidate = session?.candidates[nodeID], let id = session?.id else { return }
        for action in actions {
            switch action {
            case .send(let message):
                await manager.send(message.bytes, to: nodeID, session: candidate.handshakeHash)
            case .showCode(let code):
                logger.info(
                    "pairing: found someone pressing", metadata: ["peer": "\(nodeID)", "name": "\(candidate.name)"])
                events.publish(
                    NodeEvent(type: .pairCandidate, peer: nodeID, name: candidate.name, code: code))
                if session?.firstCode == nil {
                    session?.firstCode = .now
                    let settle = settle
                    Task { [weak self] in
                        try? await Task.sleep(for: settle)
                        await self?.decide(id)
                    }
                } else {
                    await decide(id)
                }
            case .peerConfirmed:
                events.publish(NodeEvent(type: .pairConfirmedBy, peer: nodeID))
            case .paired:
                await complete(nodeID)
            case .declined, .abandonedAfterReveal:
                // A decline is announced and decided on by the caller; an abandoned
                // exchange is counted where its channel closed.
                break
            case .failed(let reason, let why):
                logger.warning(
                    "pairing: a node broke the exchange; not pairing with it in this press",
                    metadata: ["peer": "\(nodeID)", "reason": "\(why)"])
                session?.barred[nodeID] = why
                events.publish(
                    NodeEvent(
                        type: .pairRefused, peer: nodeID, detail: "\(Self.describe(reason)): \(why)",
                        name: candidate.name))
                await decide(id)
            }
        }
    }

    private func ensureCandidate(_ peer: PeerInfo) async {
        // Blocked nodes and friends are never candidates (§6.2).
        guard session != nil, !(await friends.isBlocked(peer.nodeID)), !(await friends.isFriend(peer.nodeID)) else {
            return
        }
        if session?.barred[peer.nodeID] != nil {
            await manager.send(PairMessage.decline(.outOfOrder).bytes, to: peer.nodeID, session: peer.handshakeHash)
            return
        }
        let existing = session?.candidates[peer.nodeID]
        // The same channel: nothing to do, unless the candidate declined this press and now
        // presses again (its window ended and it pressed anew): a new exchange, fresh nonces.
        if let existing, existing.handshakeHash == peer.handshakeHash, existing.exchange.declined == nil { return }
        if let existing, existing.exchange.revealedWithoutCode, await countAbort() { return }
        if existing?.exchange.weConfirmed == true {
            // The channel to the node we chose was replaced: run the exchange again on the
            // new one (its code is what both sides will record) and decide again.
            session?.decided = false
        } else if session?.decided == true {
            await manager.send(PairMessage.decline(.pairedWithAnother).bytes, to: peer.nodeID)
            return
        }
        // New, or the connection was replaced (one connection per pair): start over on it.
        let (exchange, opening) = PairingExchange.start(
            handshakeHash: peer.handshakeHash, weInitiated: peer.isInitiator,
            nonce: Random.bytes(count: PairingCode.nonceLength))
        session?.candidates[peer.nodeID] = Candidate(name: peer.displayName, exchange: exchange)
        await perform(opening, for: peer.nodeID)
    }

    /// Counts an exchange that ended after our reveal but before a code (§6.4: each gives a
    /// relay another try); ends the press once that happened ``abortLimit`` times. Returns
    /// whether the press ended.
    private func countAbort() async -> Bool {
        guard session != nil else { return false }
        session?.aborted += 1
        guard let aborted = session?.aborted, aborted >= Self.abortLimit else { return false }
        await end(
            message:
                "the pairing exchange was broken off midway \(aborted) times — someone may be interfering; not paired, press again",
            decline: .outOfOrder)
        return true
    }

    // MARK: Deciding

    private func decide(_ id: Int) async {
        guard let current = session, current.id == id else { return }
        let live = current.candidates.filter { $0.value.isLive }
        if live.filter({ $0.value.code != nil }).count > 1 { session?.sawSeveral = true }
        let several = current.severalHeard || current.sawSeveral || live.count > 1
        if let target = current.target {
            if let nodeID = match(target, in: current), live[nodeID] != nil { await confirm(nodeID) }
            return
        }
        guard !current.decided else { return }
        if let first = current.firstCode, ContinuousClock.now < first + settle { return }
        if live.count == 1 && !several, let lone = live.first?.key {
            await confirm(lone)
        } else if several {
            if current.interactive {
                // The user chooses; with nobody left to choose, the press waits for a new
                // presser, a cancel or its window.
                guard !live.isEmpty else { return }
                session?.decided = false
                events.publish(NodeEvent(type: .pairAmbiguous, detail: "\(live.count)"))
            } else {
                await end(message: "several people pressed at once — press again", decline: .severalPressed)
            }
        }
    }

    private func confirm(_ nodeID: NodeID) async {
        guard var candidate = session?.candidates[nodeID] else { return }
        let actions = candidate.exchange.confirm()
        guard !actions.isEmpty else { return }
        session?.candidates[nodeID] = candidate
        session?.decided = true
        await perform(actions, for: nodeID)
    }

    private func complete(_ nodeID: NodeID) async {
        guard let current = session, let candidate = current.candidates[nodeID], let code = candidate.code else {
            return
        }
        do {
            let friend = try await friends.add(nodeID, name: candidate.name, code: code)
            session = nil
            windowTask?.cancel()
            last = PairingStatus(
                state: .paired, deadline: nil, candidates: Self.candidates(current), friend: friend, message: nil)
            logger.info("pairing: paired", metadata: ["peer": "\(nodeID)", "name": "\(candidate.name)"])
            for other in current.candidates.keys where other != nodeID {
                await manager.send(PairMessage.decline(.pairedWithAnother).bytes, to: other)
            }
            await closeStrangers(current, keeping: nodeID)
            policyChanges.publish(.friendAdded(nodeID))
            events.publish(NodeEvent(type: .pairPaired, peer: nodeID, name: candidate.name, code: code))
        } catch {
            logger.error("pairing: cannot record the friend", metadata: ["reason": "\(error)"])
            await end(message: "could not record the friend: \(error)", decline: .cancelled)
        }
    }

    private func windowEnded(_ id: Int) async {
        guard let current = session, current.id == id else { return }
        let coded = current.candidates.values.filter { $0.code != nil }
        let message: String
        if current.severalHeard || current.sawSeveral || coded.filter(\.isLive).count > 1 {
            message = "several people pressed at once — press again"
        } else if let lone = coded.first(where: \.isLive) {
            message = "\(lone.name) did not confirm — press again, together"
        } else if let (nodeID, why) = current.barred.first {
            let name = current.candidates[nodeID]?.name ?? "a node"
            message =
                "\(name) (\(nodeID.shortForm)) broke the pairing exchange (\(why)) — someone may be relaying; not paired, press again"
        } else {
            message =
                "no one else pressed pair within \(Int(current.window.seconds)) s — press at the same moment as your friend"
        }
        await end(message: message, decline: .windowEnded)
    }

    private func end(message: String, decline reason: PairMessage.DeclineReason) async {
        guard let current = session else { return }
        session = nil
        windowTask?.cancel()
        last = PairingStatus(
            state: .ended, deadline: nil, candidates: Self.candidates(current), friend: nil, message: message)
        logger.info("pairing: ended without pairing", metadata: ["reason": "\(message)"])
        for nodeID in current.candidates.keys {
            await manager.send(PairMessage.decline(reason).bytes, to: nodeID)
        }
        await closeStrangers(current, keeping: nil)
        events.publish(NodeEvent(type: .pairEnded, detail: message))
    }

    /// Closes the channels a press opened to nodes that are not friends (unless a new press,
    /// started meanwhile, is using them).
    private func closeStrangers(_ ended: Session, keeping kept: NodeID?) async {
        for nodeID in ended.contacted.union(ended.candidates.keys) where nodeID != kept {
            if let next = session, next.contacted.contains(nodeID) || next.candidates[nodeID] != nil { continue }
            if !(await friends.isFriend(nodeID)) {
                await manager.close(nodeID, reason: "pairing finished")
            }
        }
    }

    // MARK: Status

    package func status() -> PairingStatus {
        guard let session else { return last }
        return PairingStatus(
            state: .pressing, deadline: session.endsAt, candidates: Self.candidates(session), friend: nil,
            message: nil,
            choosing: session.sawSeveral || session.severalHeard)
    }

    private static func candidates(_ session: Session) -> [PairingStatus.Candidate] {
        session.candidates.map { nodeID, candidate in
            PairingStatus.Candidate(
                nodeID: nodeID, name: candidate.name, code: candidate.code,
                chosen: candidate.exchange.weConfirmed,
                choseUs: candidate.exchange.theyConfirmed,
                declined: (candidate.exchange.failure ?? candidate.exchange.declined).map(describe))
        }.sorted { ($0.name, $0.nodeID) < ($1.name, $1.nodeID) }
    }

    package static func describe(_ reason: PairMessage.DeclineReason) -> String {
        switch reason {
        case .severalPressed: "saw several people pressing"
        case .windowEnded: "their window ended"
        case .pairedWithAnother: "paired with someone else"
        case .cancelled: "cancelled"
        case .commitmentMismatch: "the exchange failed its check"
        case .outOfOrder: "broke the order of the exchange"
        }
    }
}
