import Foundation
import WeMeetCrypto

/// Which fellow members of one group a member keeps channels to (Protocol.md §10.9): a
/// bounded overlay instead of a full mesh, so a member of a group of 500 holds at most
/// ``maximumLinks`` channels for it, and a post still reaches everyone in a few hops.
///
/// The members present (those this node sees, and itself) stand on a ring ordered by
/// BLAKE2b-256(group ID ‖ node ID), a different ring for each group. Each member links to
/// the members at distance ±1, ±2, ±⌈n^⅓⌉ and ±⌈n^⅔⌉ along the ring (n members present):
/// at most 8 links, the same relation seen from either end, and a ring (so the overlay is
/// connected) with chords (so it is a few hops across). When a member leaves or crashes,
/// the ring closes over it; groups of 9 or fewer are a full mesh.
///
/// A pure function of what it is given: sans-IO, so its properties (bound, symmetry,
/// connectivity, hops) are tested without a node.
package struct GroupOverlay: Sendable {
    /// The most links a member keeps for one group.
    package static let maximumLinks = 8

    /// The ring: every member of the group (present or not) in ring order.
    package let ring: [NodeID]

    /// Puts `members` in the ring order of `group`.
    package init(group: GroupID, members: some Sequence<NodeID>) {
        ring = members.map { (key: Self.position($0, in: group), id: $0) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map(\.id)
    }

    /// A member's place on the ring of `group`: BLAKE2b-256(group ID ‖ node ID).
    package static func position(_ member: NodeID, in group: GroupID) -> [UInt8] {
        Blake2b.hash(group.rawValue + member.publicKey.rawRepresentation, length: .bytes32)
    }

    /// The distances along the ring a member links at, for `n` members present.
    package static func distances(_ n: Int) -> [Int] {
        guard n > maximumLinks + 1 else { return Array(1..<max(1, n)) }
        let root = cbrt(Double(n))
        let chords = [Int(root.rounded(.up)), Int((root * root).rounded(.up))]
        var out: [Int] = []
        // Each distance below n/2, so +d and −d are two members.
        for d in [1, 2] + chords where 2 * d < n && !out.contains(d) { out.append(d) }
        return out
    }

    /// The members `own` links to, among those `present` (`own` is always on the ring).
    package func links(of own: NodeID, present: (NodeID) -> Bool) -> Set<NodeID> {
        let live = ring.filter { $0 == own || present($0) }
        guard let index = live.firstIndex(of: own) else { return [] }
        let n = live.count
        guard n > Self.maximumLinks + 1 else { return Set(live).subtracting([own]) }
        var out: Set<NodeID> = []
        for d in Self.distances(n) {
            out.insert(live[(index + d) % n])
            out.insert(live[(index - d + n) % n])
        }
        out.remove(own)
        return out
    }
}
