import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

/// A seeded property test of the causal fold (Protocol.md §10.3, group-authority issue):
/// random membership histories among 3–6 people — invites, joins, leaves, removals, admins,
/// key rotations, posts — written by nodes that each see only what reached them, with random
/// partitions and heals. Clock skew needs no simulating here: the fold takes no timestamps at
/// all (skewed clocks are tested on real nodes in `GroupAuthorityAttackTests`). After a final
/// heal, every node folds the same members, admins and current key, the current key reached
/// nobody outside the group, and nobody removed was wrapped a key whose record saw the removal.
/// `WEMEET_FOLD_SEEDS=N` runs N histories (default 300).
@Suite("Group fold: random histories")
struct GroupFoldPropertyTests {
    /// One node's copy of the group: each author's feed as it reached this node (membership
    /// records, or nil for a post).
    struct Replica {
        var feeds: [NodeID: [GroupState.Operation?]] = [:]

        var operations: [GroupState.Operation] { feeds.values.flatMap { $0.compactMap { $0 } } }
        var heads: [NodeID: UInt64] { feeds.mapValues { UInt64($0.count) } }

        func fold(_ group: GroupID) -> GroupState {
            GroupState(id: group, operations: operations, heads: heads)
        }

        /// Takes whatever the other replica holds further along (feeds are append-only and
        /// written by one author, so every copy is a prefix of the author's feed).
        mutating func merge(_ other: Replica) {
            for (author, feed) in other.feeds where feed.count > feeds[author]?.count ?? 0 { feeds[author] = feed }
        }
    }

    struct History {
        var group: GroupID
        var definition: GroupDefinition
        var people: [NodeID]
        var replicas: [Replica]
    }

    /// Appends `record` to `author`'s own feed at its replica, citing what it has placed.
    static func write(_ record: GroupRecord?, by index: Int, in history: inout History) {
        let author = history.people[index]
        var replica = history.replicas[index]
        let state = replica.fold(history.group)
        let seq = UInt64((replica.feeds[author]?.count ?? 0) + 1)
        let deps = state.citations.filter { $0.key != author && $0.value > 0 }
        replica.feeds[author, default: []].append(
            record.map { GroupState.Operation(author: author, seq: seq, record: $0, deps: deps) })
        history.replicas[index] = replica
    }

    /// A key record by `index`, replacing its current key, wrapped (symbolically) for `recipients`.
    static func key(
        by index: Int, in history: History, for recipients: Set<NodeID>, known keyID: [UInt8]? = nil
    )
        -> GroupRecord
    {
        let state = history.replicas[index].fold(history.group)
        let id = keyID ?? Random.bytes(count: GroupCipher.keyIDLength)
        var wraps: [String: String] = [:]
        for member in recipients { wraps[member.description] = "00" }
        return .key(
            GroupRecord.Key(
                key: Hex.encode(id), replaces: keyID == nil ? state.currentKey.map { Hex.encode($0) } : nil,
                wraps: wraps, deps: nil))
    }

    /// What an honest node does when it is its turn: something its own fold allows.
    static func act(_ index: Int, _ random: inout SplitMix, in history: inout History) {
        let me = history.people[index]
        let state = history.replicas[index].fold(history.group)
        let others = history.people.filter { $0 != me }
        let roll = random.next() % 100
        switch state.role(of: me) {
        case .invited?:
            write(
                .join(GroupRecord.Join(history.definition, memberName: "p\(index)", deps: [:])), by: index, in: &history
            )
        case .member? where state.isAdmin(me):
            let target = others[Int(random.next() % UInt64(others.count))]
            let role = state.role(of: target)
            if state.needsRotation || (roll < 15 && state.currentKey != nil) {
                write(key(by: index, in: history, for: state.audience), by: index, in: &history)
            } else if !state.missingCurrentKey.isEmpty, let current = state.currentKey {
                write(
                    key(by: index, in: history, for: state.missingCurrentKey, known: current), by: index, in: &history)
            } else if roll < 45, role != .member, role != .invited {
                write(.member(.init(action: "invite", member: target.description)), by: index, in: &history)
            } else if roll < 65, role == .member || role == .invited || role == .left {
                write(.member(.init(action: "remove", member: target.description)), by: index, in: &history)
            } else if roll < 75, role == .member, me.publicKey == history.definition.creator {
                write(.member(.init(action: "admin", member: target.description)), by: index, in: &history)
            } else {
                write(nil, by: index, in: &history)  // a post
            }
        case .member?:
            if roll < 8 && me.publicKey != history.definition.creator {
                write(.leave(.init()), by: index, in: &history)
            } else {
                write(nil, by: index, in: &history)
            }
        default:
            break
        }
    }

    static func run(seed: UInt64) -> (History, steps: Int) {
        var random = SplitMix(seed: seed)
        let count = 3 + Int(random.next() % 4)
        let keys = (0..<count).map { _ in Ed25519.PrivateKey() }
        let people = keys.map { NodeID(publicKey: $0.publicKey) }
        let definition = GroupDefinition(
            creator: people[0].publicKey, isPublic: false, nonce: Random.bytes(count: 16), name: "G\(seed)")
        var history = History(
            group: definition.id, definition: definition, people: people,
            replicas: Array(repeating: Replica(), count: count))
        write(.join(GroupRecord.Join(definition, memberName: "creator", deps: [:])), by: 0, in: &history)
        write(key(by: 0, in: history, for: [people[0]]), by: 0, in: &history)
        var partition: [Int]? = nil  // side of each node while partitioned
        let steps = 30 + Int(random.next() % 40)
        for _ in 0..<steps {
            let roll = random.next() % 100
            if roll < 10 {
                partition = partition == nil ? (0..<count).map { _ in Int(random.next() % 2) } : nil
            } else if roll < 45 {
                let a = Int(random.next() % UInt64(count))
                let b = Int(random.next() % UInt64(count))
                guard partition.map({ $0[a] == $0[b] }) ?? true else { continue }
                history.replicas[a].merge(history.replicas[b])
                history.replicas[b].merge(history.replicas[a])
            } else {
                act(Int(random.next() % UInt64(count)), &random, in: &history)
            }
        }
        // Heal, then let the admins settle their keys (rotate, hand out) until nothing changes.
        for _ in 0..<6 {
            var all = Replica()
            for replica in history.replicas { all.merge(replica) }
            for index in history.replicas.indices { history.replicas[index] = all }
            let state = all.fold(history.group)
            guard let admin = history.people.firstIndex(where: { state.isAdmin($0) }),
                state.needsRotation || !state.missingCurrentKey.isEmpty
            else { break }
            act(admin, &random, in: &history)
        }
        return (history, steps)
    }

    @Test func everyNodeFoldsTheSameGroupAndNoRemovedPersonGetsALaterKey() {
        let seeds = (ProcessInfo.processInfo.environment["WEMEET_FOLD_SEEDS"].flatMap(Int.init) ?? 300)
        var removalsSeen = 0
        for seed in 1...UInt64(seeds) {
            let (history, _) = Self.run(seed: seed)
            let states = history.replicas.map { $0.fold(history.group) }
            let first = states[0]
            for state in states.dropFirst() {
                #expect(state.people == first.people, "seed \(seed): members differ")
                #expect(state.currentKey == first.currentKey, "seed \(seed): current keys differ")
            }
            // No one removed (and not invited back) was wrapped a key whose record saw its last
            // removal.
            let operations = history.replicas[0].operations
            var lastRemoval: [NodeID: GroupState.Removal] = [:]
            for removal in first.removals where first.role(of: removal.member) == .removed {
                lastRemoval[removal.member] = removal
            }
            for removal in lastRemoval.values {
                let remover = operations[removal.op]
                removalsSeen += 1
                for operation in operations {
                    guard case .key(let record) = operation.record,
                        record.wraps[removal.member.description] != nil
                    else { continue }
                    let saw =
                        (operation.author == remover.author && operation.seq > remover.seq)
                        || (operation.deps[remover.author] ?? 0) >= remover.seq
                    #expect(!saw, "seed \(seed): \(removal.member.shortForm) got a key after its removal")
                }
            }
            // The current key went to nobody outside the group.
            if let current = first.currentKey, let key = first.keys[current] {
                #expect(key.recipients.isSubset(of: first.audience), "seed \(seed): the current key reached outsiders")
            }
        }
        print("group fold property: \(seeds) histories, \(removalsSeen) removals that took effect")
    }
}
