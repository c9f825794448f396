import HeapModule
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

extension GroupState {
    /// The causal graph of a group's membership records (Protocol.md §10.3): a record comes
    /// after the earlier records of its author's feed and after every record it cites. The
    /// fold applies records in ``order``, a topological order of that graph that every node
    /// computes alike (among records ready at once: the smallest author key, then seq).
    package struct Graph: Sendable {
        /// Indexes of the records placed, in fold order. A record citing what this node does
        /// not hold yet (past a feed's head, or a record still waiting) is not placed.
        package private(set) var order: [Int] = []
        /// For each placed record, its causal past: per author, the highest seq it saw.
        package private(set) var frontier: [Int: [NodeID: UInt64]] = [:]
        /// For each author, the seq of its feed up to which every record was placed.
        package private(set) var citations: [NodeID: UInt64] = [:]

        /// For each author with records that cannot be placed yet because they cite past a
        /// feed's head: the smallest head of that cited feed that could let one be placed.
        /// A post reaching it is worth folding again for (Protocol.md §10.3); nothing less is.
        package private(set) var blockedOn: [NodeID: UInt64] = [:]
        /// For each author, the seq of its first record not placed (nil: all placed).
        package private(set) var firstWaiting: [NodeID: UInt64] = [:]

        /// Near-linear in the records: each author's records by seq (citations resolved by
        /// binary search), Kahn's algorithm with counts, and at most one ready record per
        /// author (it needs its author's previous one), chosen by the smallest author key
        /// through a heap.
        package init(_ operations: [Operation], heads: [NodeID: UInt64]) {
            // Each author's records by seq.
            var byAuthor: [NodeID: [(seq: UInt64, index: Int)]] = [:]
            for (index, operation) in operations.enumerated() {
                byAuthor[operation.author, default: []].append((operation.seq, index))
            }
            for author in byAuthor.keys { byAuthor[author]!.sort { $0.seq < $1.seq } }
            /// The latest record of `author` at or before `seq`.
            func latest(_ author: NodeID, atOrBefore seq: UInt64) -> Int? {
                guard let records = byAuthor[author] else { return nil }
                var low = 0
                var high = records.count
                while low < high {
                    let middle = (low + high) / 2
                    if records[middle].seq <= seq { low = middle + 1 } else { high = middle }
                }
                return low > 0 ? records[low - 1].index : nil
            }
            // What each record waits for; unresolvable ones (citing past a head) never place.
            var needs = [[Int]](repeating: [], count: operations.count)
            var remaining = [Int](repeating: 0, count: operations.count)
            var dependents = [[Int]](repeating: [], count: operations.count)
            var resolvable = [Bool](repeating: true, count: operations.count)
            for (index, operation) in operations.enumerated() {
                var set: Set<Int> = []
                if operation.seq > 1, let previous = latest(operation.author, atOrBefore: operation.seq - 1) {
                    set.insert(previous)
                }
                for (author, seq) in operation.deps where author != operation.author && seq > 0 {
                    if seq > heads[author] ?? 0 {
                        resolvable[index] = false
                        blockedOn[author] = min(blockedOn[author] ?? .max, seq)
                    }
                    if let cited = latest(author, atOrBefore: seq) { set.insert(cited) }
                }
                set.remove(index)
                needs[index] = Array(set)
                remaining[index] = set.count
                for needed in set { dependents[needed].append(index) }
            }
            // Authors ranked by key, so the heap compares integers.
            let ranked = byAuthor.keys.sorted {
                $0.publicKey.rawRepresentation.lexicographicallyPrecedes($1.publicKey.rawRepresentation)
            }
            var rank: [NodeID: Int] = [:]
            for (position, author) in ranked.enumerated() { rank[author] = position }
            var ready = Heap<Ready>()
            for index in operations.indices where remaining[index] == 0 && resolvable[index] {
                ready.insert(Ready(rank: rank[operations[index].author]!, seq: operations[index].seq, index: index))
            }
            var placed = [Bool](repeating: false, count: operations.count)
            order.reserveCapacity(operations.count)
            while let next = ready.popMin()?.index {
                placed[next] = true
                order.append(next)
                // The causal past: what it cites, and the pasts of the records it waited for.
                let operation = operations[next]
                var past = operation.deps.filter { $0.key != operation.author }
                past[operation.author] = operation.seq - 1
                for needed in needs[next] {
                    for (author, seq) in frontier[needed] ?? [:] where seq > past[author] ?? 0 { past[author] = seq }
                    let cited = operations[needed]
                    if cited.seq > past[cited.author] ?? 0 { past[cited.author] = cited.seq }
                }
                frontier[next] = past
                for dependent in dependents[next] {
                    remaining[dependent] -= 1
                    if remaining[dependent] == 0 && resolvable[dependent] {
                        ready.insert(
                            Ready(
                                rank: rank[operations[dependent].author]!, seq: operations[dependent].seq,
                                index: dependent))
                    }
                }
            }
            for (author, records) in byAuthor {
                let waiting = records.first { !placed[$0.index] }?.seq
                if let waiting { firstWaiting[author] = waiting }
                citations[author] = waiting.map { $0 - 1 } ?? heads[author] ?? records.last?.seq ?? 0
            }
            for (author, head) in heads where citations[author] == nil { citations[author] = head }
        }

        /// A record ready to be placed, ordered by (author key, seq).
        struct Ready: Comparable {
            var rank: Int
            var seq: UInt64
            var index: Int
            static func < (a: Ready, b: Ready) -> Bool { (a.rank, a.seq) < (b.rank, b.seq) }
        }
    }
}
