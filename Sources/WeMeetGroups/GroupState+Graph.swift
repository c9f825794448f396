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

        package init(_ operations: [Operation], heads: [NodeID: UInt64]) {
            // Each author's records by seq.
            var byAuthor: [NodeID: [(seq: UInt64, index: Int)]] = [:]
            for (index, operation) in operations.enumerated() {
                byAuthor[operation.author, default: []].append((operation.seq, index))
            }
            for author in byAuthor.keys { byAuthor[author]!.sort { $0.seq < $1.seq } }
            /// The latest record of `author` at or before `seq`.
            func latest(_ author: NodeID, atOrBefore seq: UInt64) -> Int? {
                byAuthor[author]?.last { $0.seq <= seq }?.index
            }
            // What each record waits for; nil when it can never be placed from what is held.
            var waitsFor: [Int: Set<Int>] = [:]
            for (index, operation) in operations.enumerated() {
                var needs: Set<Int> = []
                var resolvable = true
                if let previous = latest(operation.author, atOrBefore: operation.seq - 1) { needs.insert(previous) }
                for (author, seq) in operation.deps where author != operation.author && seq > 0 {
                    if seq > heads[author] ?? 0 { resolvable = false }
                    if let cited = latest(author, atOrBefore: seq) { needs.insert(cited) }
                }
                if resolvable { waitsFor[index] = needs }
            }
            // Kahn's algorithm, smallest (author key, seq) first among the ready.
            var placed: Set<Int> = []
            var pending = Set(waitsFor.keys)
            func key(_ index: Int) -> ([UInt8], UInt64) {
                (operations[index].author.publicKey.rawRepresentation, operations[index].seq)
            }
            while true {
                let ready = pending.filter { waitsFor[$0]!.isSubset(of: placed) }
                guard
                    let next = ready.min(by: {
                        key($0).0.lexicographicallyPrecedes(key($1).0)
                            || (key($0).0 == key($1).0 && key($0).1 < key($1).1)
                    })
                else { break }
                pending.remove(next)
                placed.insert(next)
                order.append(next)
                // The causal past: what it cites, and the pasts of the records it waited for.
                let operation = operations[next]
                var past = operation.deps.filter { $0.key != operation.author }
                past[operation.author] = operation.seq - 1
                for needed in waitsFor[next]! {
                    for (author, seq) in frontier[needed] ?? [:] where seq > past[author] ?? 0 { past[author] = seq }
                    let cited = operations[needed]
                    if cited.seq > past[cited.author] ?? 0 { past[cited.author] = cited.seq }
                }
                frontier[next] = past
            }
            for (author, records) in byAuthor {
                let firstWaiting = records.first { !placed.contains($0.index) }?.seq
                citations[author] = firstWaiting.map { $0 - 1 } ?? heads[author] ?? records.last?.seq ?? 0
            }
            for (author, head) in heads where citations[author] == nil { citations[author] = head }
        }
    }
}
