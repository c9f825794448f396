import Testing
import WeMeetCrypto
import WeMeetGroups

/// The group overlay (Protocol.md §10.9) as a pure function: every member's links are few,
/// the relation is the same from both ends, the overlay is connected and a few hops
/// across, and it stays so when members are gone.
@Suite struct GroupOverlayTests {
    static func members(_ n: Int, seed: UInt8 = 1) throws -> [NodeID] {
        try (0..<n).map { i in
            let bytes = Blake2b.hash([seed, UInt8(i & 0xff), UInt8(i >> 8)], length: .bytes32)
            return NodeID(publicKey: try Ed25519.PrivateKey(seed: SecureBytes(bytes)).publicKey)
        }
    }

    static let group = GroupID(rawValue: Blake2b.hash(Array("overlay tests".utf8), length: .bytes32))

    /// Links of everyone present, and the hops from the first present member to the farthest.
    static func overlay(_ all: [NodeID], present: Set<NodeID>) -> (links: [NodeID: Set<NodeID>], hops: Int?) {
        let overlay = GroupOverlay(group: group, members: all)
        var links: [NodeID: Set<NodeID>] = [:]
        for member in present { links[member] = overlay.links(of: member) { present.contains($0) } }
        guard let start = present.first else { return (links, 0) }
        var depth = [start: 0]
        var frontier = [start]
        while !frontier.isEmpty {
            var next: [NodeID] = []
            for node in frontier {
                for other in links[node] ?? [] where depth[other] == nil {
                    depth[other] = depth[node]! + 1
                    next.append(other)
                }
            }
            frontier = next
        }
        return (links, depth.count == present.count ? depth.values.max() : nil)
    }

    @Test(arguments: [2, 5, 9, 10, 20, 60, 100, 300, 500])
    func everyMemberHasFewLinksTheSameFromBothEndsAndAllAreReached(_ n: Int) throws {
        let all = try Self.members(n)
        let (links, hops) = Self.overlay(all, present: Set(all))
        for (member, own) in links {
            #expect(own.count <= GroupOverlay.maximumLinks)
            #expect(own.count == min(n - 1, own.count))
            #expect(!own.contains(member))
            for other in own { #expect(links[other]?.contains(member) == true, "links are symmetric") }
        }
        let diameter = try #require(hops, "the overlay of \(n) is connected")
        #expect(diameter <= (n <= 9 ? 1 : 12), "\(n) members: \(diameter) hops")
        if n <= 9 { #expect(links.values.allSatisfy { $0.count == n - 1 }, "small groups are a full mesh") }
    }

    @Test(arguments: [1 as UInt8, 2, 3])
    func membersGoneCloseTheRing(_ seed: UInt8) throws {
        let all = try Self.members(500, seed: seed)
        // Every tenth gone (crashed or left): the rest are still connected, each with ≤ 8 links.
        var present = Set(all)
        for (index, member) in all.enumerated() where index % 10 == Int(seed) { present.remove(member) }
        let (links, hops) = Self.overlay(all, present: present)
        #expect(try #require(hops) <= 12)
        #expect(links.values.allSatisfy { $0.count <= GroupOverlay.maximumLinks && $0.isSubset(of: present) })
    }

    @Test func eachGroupHasItsOwnRing() throws {
        let all = try Self.members(100)
        let other = GroupID(rawValue: Blake2b.hash(Array("another group".utf8), length: .bytes32))
        #expect(GroupOverlay(group: Self.group, members: all).ring != GroupOverlay(group: other, members: all).ring)
        #expect(
            GroupOverlay(group: Self.group, members: all.reversed()).ring
                == GroupOverlay(group: Self.group, members: all).ring)
    }
}
