import WeMeetCrypto

extension Groups {
    /// The fellow members this node keeps channels to for its groups (Protocol.md §10.9):
    /// for each group it is a member of, its links on the group's overlay among the members
    /// `present` (seen on the radar or connected).
    package func overlayLinks(present: Set<NodeID>) -> Set<NodeID> {
        var out: Set<NodeID> = []
        for (id, state) in states where state.role(of: own) == .member {
            out.formUnion(overlay(of: id, state).links(of: own) { present.contains($0) })
        }
        return out
    }

    /// The group's ring, made again only when its members changed.
    private func overlay(of id: GroupID, _ state: GroupState) -> GroupOverlay {
        let members = state.members
        if let cached = overlays[id], cached.members == members { return cached.overlay }
        let overlay = GroupOverlay(group: id, members: members)
        overlays[id] = (members, overlay)
        return overlay
    }
}
