import WeMeetCrypto
import WeMeetStore

/// What a group is, folded from every membership record this node holds (Protocol.md
/// §10.3): who is invited, a member, gone or an admin, and which keys exist. Records are
/// applied in one order every node computes alike — (timestamp, author, seq) — so nodes
/// holding the same records agree on the same membership.
struct GroupState: Sendable {
    /// Where someone stands in the group.
    enum Role: String, Sendable, Codable {
        case invited, member, left, removed
    }

    struct Person: Sendable, Equatable {
        var role: Role
        var admin = false
        /// The name it gave when joining.
        var name: String?
        /// When it (last) joined, in fold order: the earliest member inherits admin when the
        /// last admin leaves.
        var joinOrder = Int.max
    }

    /// One epoch's key: who was given it, and the wraps made for each of them.
    struct Key: Sendable {
        var epoch: Int
        var recipients: Set<NodeID> = []
        var wraps: [NodeID: [(admin: Ed25519.PublicKey, wrap: [UInt8])]] = [:]
    }

    /// One membership record, with what orders it.
    struct Operation: Sendable {
        var timestamp: UInt64
        var author: NodeID
        var seq: UInt64
        var record: GroupRecord
    }

    let id: GroupID
    /// Nil until a record carrying the group's definition is held.
    private(set) var definition: GroupDefinition?
    private(set) var people: [NodeID: Person] = [:]
    private(set) var keys: [[UInt8]: Key] = [:]
    /// The latest epoch's key ID.
    private(set) var currentKey: [UInt8]?

    /// Folds `operations` (in any order) for the group `id`.
    init(id: GroupID, operations: [Operation]) {
        self.id = id
        let ordered = operations.sorted {
            ($0.timestamp, $0.author, $0.seq) < ($1.timestamp, $1.author, $1.seq)
        }
        for operation in ordered {
            if case .join(let join) = operation.record, let definition = join.definition, definition.id == id {
                self.definition = definition
                break
            }
        }
        guard let definition else { return }
        for (order, operation) in ordered.enumerated() {
            apply(operation, order: order, definition: definition)
        }
    }

    private mutating func apply(_ operation: Operation, order: Int, definition: GroupDefinition) {
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
                guard role == .member || role == .invited, member.publicKey != definition.creator,
                    !(people[member]?.admin ?? false) || author.publicKey == definition.creator
                else { return }
                people[member]?.role = .removed
                people[member]?.admin = false
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
            ensureAdmin()
        case .key(let record):
            guard isAdmin, !definition.isPublic, let keyID = try? Hex.decode(record.key),
                keyID.count == GroupCipher.keyIDLength
            else { return }
            if keys[keyID] == nil {
                keys[keyID] = Key(epoch: keys.count + 1)
                currentKey = keyID
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

    func role(of nodeID: NodeID) -> Role? { people[nodeID]?.role }
    /// The current epoch (0 before the first key, and for public groups).
    var epoch: Int { currentKey.flatMap { keys[$0]?.epoch } ?? 0 }
    func isAdmin(_ nodeID: NodeID) -> Bool { people[nodeID].map { $0.admin && $0.role == .member } ?? false }

    /// Members and invitees: who may read the group and be served its feeds.
    var audience: Set<NodeID> {
        Set(people.filter { $0.value.role == .member || $0.value.role == .invited }.keys)
    }

    var members: [NodeID] { people.filter { $0.value.role == .member }.keys.sorted() }

    /// Whether the current key was given to someone no longer in the audience: an admin
    /// must start a new epoch.
    var needsRotation: Bool {
        guard let definition, !definition.isPublic else { return false }
        guard let currentKey, let key = keys[currentKey] else { return true }
        return !key.recipients.isSubset(of: audience)
    }

    /// Audience members the current key was not given to yet.
    var missingCurrentKey: Set<NodeID> {
        guard let currentKey, let key = keys[currentKey] else { return audience }
        return audience.subtracting(key.recipients)
    }
}
