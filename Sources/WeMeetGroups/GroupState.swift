import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// What a group is, folded from every membership record this node holds (Protocol.md
/// §10.3): who is invited, a member, gone or an admin, which keys exist and which is current,
/// and whose posts count.
///
/// Authority comes from causality, never from a clock. Each record cites the part of every
/// other member's feed its author had applied (``GroupRecord/Citations``); with the order of
/// each author's own feed, that makes a graph, and the fold applies records in one
/// deterministic topological order of it (ties by author key, then seq). A record that cites
/// what this node does not hold yet waits. A removal wins over every record of the removed
/// person that it did not see and that did not see it. Keys form a chain; the current key is
/// its tip. Timestamps play no part.
package struct GroupState: Sendable {
    /// Where someone stands in the group.
    package enum Role: String, Sendable, Codable {
        case invited, member, left, removed

        /// As the control API shows it.
        package var `public`: GroupRole {
            switch self {
            case .invited: .invited
            case .member: .member
            case .left: .left
            case .removed: .removed
            }
        }
    }

    package struct Person: Sendable, Equatable {
        package var role: Role
        package var admin = false
        /// The name it gave when joining.
        package var name: String?
        /// When it (last) joined, in fold order: the earliest member inherits admin when the
        /// last admin leaves.
        package var joinOrder = Int.max

        package init(role: Role, name: String? = nil) {
            self.role = role
            self.name = name
        }
    }

    /// One epoch's key: who was given it, and the wraps made for each of them.
    package struct Key: Sendable {
        package var epoch: Int
        package var recipients: Set<NodeID> = []
        package var wraps: [NodeID: [(admin: Ed25519.PublicKey, wrap: [UInt8])]] = [:]

        package init(
            epoch: Int, recipients: Set<NodeID> = [], wraps: [NodeID: [(admin: Ed25519.PublicKey, wrap: [UInt8])]] = [:]
        ) {
            self.epoch = epoch
            self.recipients = recipients
            self.wraps = wraps
        }
    }

    /// One membership record: its author, its place in the author's feed, what it cites.
    package struct Operation: Sendable {
        package var author: NodeID
        package var seq: UInt64
        package var record: GroupRecord
        /// For each other author, the seq of its feed the record's author had applied.
        package var deps: [NodeID: UInt64]

        package init(author: NodeID, seq: UInt64, record: GroupRecord, deps: [NodeID: UInt64]) {
            self.author = author
            self.seq = seq
            self.record = record
            self.deps = deps
        }

        /// Reads the citations of `record`; nil when it has none (a record of an earlier
        /// version, which the fold ignores).
        package init?(author: NodeID, seq: UInt64, record: GroupRecord) {
            guard let cited = record.deps else { return nil }
            var deps: [NodeID: UInt64] = [:]
            for (text, seq) in cited {
                guard let nodeID = try? NodeID(text) else { return nil }
                deps[nodeID] = seq
            }
            self.init(author: author, seq: seq, record: record, deps: deps)
        }
    }

    /// A removal that took effect: who, by which record, and how much of the removed
    /// person's feed the remover had seen.
    package struct Removal: Sendable {
        package var member: NodeID
        package var op: Int
        package var cutoff: UInt64

        package init(member: NodeID, op: Int, cutoff: UInt64) {
            self.member = member
            self.op = op
            self.cutoff = cutoff
        }
    }

    package let id: GroupID
    /// Nil until a record carrying the group's definition is held.
    package private(set) var definition: GroupDefinition?
    package private(set) var people: [NodeID: Person] = [:]
    package private(set) var keys: [[UInt8]: Key] = [:]
    /// The tip of the key chain.
    package private(set) var currentKey: [UInt8]?
    /// For each author, the seq of its feed up to which every membership record was placed
    /// in the fold: what this node's own next record cites.
    package private(set) var citations: [NodeID: UInt64] = [:]
    /// Per author, the seq of its first record not placed (see ``Graph/firstWaiting``).
    package private(set) var firstWaiting: [NodeID: UInt64] = [:]
    /// Per author, the head of its feed that could let a waiting record be placed
    /// (``Graph/blockedOn``): a post reaching it is worth folding again for.
    package private(set) var blockedOn: [NodeID: UInt64] = [:]

    /// The most membership records of one author in one group that the fold reads: the
    /// first this many of its feed (Protocol.md §10.3). An honest writer never comes near it
    /// — an admin writes one record per invitation, removal, admin and key epoch — and it
    /// bounds what one member can make every member fold.
    package static let maximumRecordsPerAuthor = 4_096
    /// Per person, the seqs of its own valid joins and leaves, and the removals that took
    /// effect (for ``mayPost(_:seq:)``).
    private var joins: [NodeID: [UInt64]] = [:]
    private var leaves: [NodeID: [UInt64]] = [:]
    package private(set) var removals: [Removal] = []

    /// Folds `operations` (in any order) for the group `id`; `heads` are the seqs of the
    /// group's feeds this node holds (a record citing past them waits).
    package init(id: GroupID, operations: [Operation], heads: [NodeID: UInt64] = [:]) {
        let graph = Graph(operations, heads: heads)
        defer {
            firstWaiting = graph.firstWaiting
            blockedOn = graph.blockedOn
        }
        // Any join record names the group: its definition hashes to the group ID (§10.1), so
        // it is the group's whoever wrote it, placed in the fold or not (discover shows a
        // friend's public posts before this node holds the creator's feed).
        guard
            let definition = operations.lazy.compactMap({ operation -> GroupDefinition? in
                guard case .join(let join) = operation.record, let definition = join.definition, definition.id == id
                else { return nil }
                return definition
            }).first
        else {
            self.id = id
            citations = graph.citations
            return
        }
        // Removals void what they did not see; that can change which removals take effect,
        // so fold again until nothing changes (authority flows from the creator down, so
        // this settles in a few rounds).
        var void: Set<Int> = []
        var state = GroupState(id: id, definition: definition, citations: graph.citations)
        for _ in 0..<8 {
            var attempt = GroupState(id: id, definition: definition, citations: graph.citations)
            attempt.apply(graph, operations, skipping: void)
            let next = attempt.voided(by: graph, operations)
            state = attempt
            if next == void { break }
            void = next
        }
        self = state
    }

    private init(id: GroupID, definition: GroupDefinition, citations: [NodeID: UInt64]) {
        self.id = id
        self.definition = definition
        self.citations = citations
    }

    /// The records a removal did not see, of the person it removed, that did not see it.
    private func voided(by graph: Graph, _ operations: [Operation]) -> Set<Int> {
        var void: Set<Int> = []
        for removal in removals {
            let remover = operations[removal.op]
            for index in graph.order where operations[index].author == removal.member {
                let seen = graph.frontier[index]?[remover.author] ?? 0
                if operations[index].seq > removal.cutoff && seen < remover.seq { void.insert(index) }
            }
        }
        return void
    }

    private mutating func apply(_ graph: Graph, _ operations: [Operation], skipping void: Set<Int>) {
        for (order, index) in graph.order.enumerated() where !void.contains(index) {
            apply(operations[index], index: index, order: order, frontier: graph.frontier[index] ?? [:])
        }
    }

    private mutating func apply(_ operation: Operation, index: Int, order: Int, frontier: [NodeID: UInt64]) {
        guard let definition else { return }
        let author = operation.author
        let isAdmin = people[author].map { $0.admin && $0.role == .member } ?? false
        switch operation.record {
        case .join(let join):
            guard join.definition?.id == id else { return }
            let current = people[author]?.role
            let allowed: Bool
            if author.publicKey == definition.creator && current == nil {
                allowed = true
            } else if definition.isPublic {
                allowed = current != .removed && current != .member
            } else {
                allowed = current == .invited
            }
            guard allowed else { return }
            var person = people[author] ?? Person(role: .member)
            person.role = .member
            person.name = join.memberName ?? person.name
            person.joinOrder = order
            if author.publicKey == definition.creator && current == nil { person.admin = true }
            people[author] = person
            joins[author, default: []].append(operation.seq)
            // Joining a group whose admins all left makes the earliest member an admin, too.
            ensureAdmin()
        case .member(let change):
            guard isAdmin, let member = try? NodeID(change.member) else { return }
            let role = people[member]?.role
            switch change.action {
            case "invite":
                guard role != .member && role != .invited else { return }
                var person = people[member] ?? Person(role: .invited)
                person.role = .invited
                person.admin = false
                people[member] = person
            case "remove":
                // Someone who left is removed too: a removal also keeps a person out of a
                // public group it left (a leave cannot dodge one).
                guard role == .member || role == .invited || role == .left, member.publicKey != definition.creator,
                    !(people[member]?.admin ?? false) || author.publicKey == definition.creator
                else { return }
                people[member]?.role = .removed
                people[member]?.admin = false
                removals.append(Removal(member: member, op: index, cutoff: frontier[member] ?? 0))
                ensureAdmin()
            case "admin":
                guard author.publicKey == definition.creator, role == .member else { return }
                people[member]?.admin = true
            default:
                return
            }
        case .leave:
            guard let role = people[author]?.role, role == .member || role == .invited else { return }
            people[author]?.role = .left
            people[author]?.admin = false
            leaves[author, default: []].append(operation.seq)
            ensureAdmin()
        case .key(let record):
            guard isAdmin, !definition.isPublic, let keyID = try? Hex.decode(record.key),
                keyID.count == GroupCipher.keyIDLength
            else { return }
            let replaces = record.replaces.flatMap { try? Hex.decode($0) }
            if keys[keyID] == nil {
                keys[keyID] = Key(epoch: (currentKey.flatMap { keys[$0]?.epoch } ?? 0) + 1)
                // Only a key that replaces the tip moves the chain on; one made against an
                // older tip (two admins rotating at once) stays readable but not current.
                if replaces == currentKey { currentKey = keyID }
            }
            for (member, wrap) in record.wraps {
                guard let nodeID = try? NodeID(member), let bytes = try? Hex.decode(wrap) else { continue }
                keys[keyID]?.recipients.insert(nodeID)
                keys[keyID]?.wraps[nodeID, default: []].append((author.publicKey, bytes))
            }
        case .post:
            return
        }
    }

    /// When no admin is left among members, the earliest-joined member becomes one, so
    /// a group never ends up unmanageable.
    private mutating func ensureAdmin() {
        guard !people.values.contains(where: { $0.admin && $0.role == .member }) else { return }
        if let heir = people.filter({ $0.value.role == .member }).min(by: {
            ($0.value.joinOrder, $0.key) < ($1.value.joinOrder, $1.key)
        }) {
            people[heir.key]?.admin = true
        }
    }

    // MARK: Questions

    package func role(of nodeID: NodeID) -> Role? { people[nodeID]?.role }
    /// The current epoch (0 before the first key, and for public groups).
    package var epoch: Int { currentKey.flatMap { keys[$0]?.epoch } ?? 0 }
    package func isAdmin(_ nodeID: NodeID) -> Bool { people[nodeID].map { $0.admin && $0.role == .member } ?? false }

    /// Members and invitees: who may read the group and be served its feeds.
    package var audience: Set<NodeID> {
        Set(people.filter { $0.value.role == .member || $0.value.role == .invited }.keys)
    }

    package var members: [NodeID] { people.filter { $0.value.role == .member }.keys.sorted() }

    /// Whether the entry at `seq` of `author`'s feed falls while it was a member: after one
    /// of its joins, before its next leave, and within what any removal of it saw (§10.5).
    package func mayPost(_ author: NodeID, seq: UInt64) -> Bool {
        guard let joined = joins[author]?.filter({ $0 < seq }).max() else { return false }
        if leaves[author]?.contains(where: { $0 > joined && $0 < seq }) == true { return false }
        return !removals.contains { $0.member == author && $0.cutoff >= joined && $0.cutoff < seq }
    }

    /// Whether the current key was given to someone no longer in the audience: an admin
    /// must start a new epoch.
    package var needsRotation: Bool {
        guard let definition, !definition.isPublic else { return false }
        guard let currentKey, let key = keys[currentKey] else { return true }
        return !key.recipients.isSubset(of: audience)
    }

    /// Audience members the current key was not given to yet.
    package var missingCurrentKey: Set<NodeID> {
        guard let currentKey, let key = keys[currentKey] else { return audience }
        return audience.subtracting(key.recipients)
    }
}
