import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetModel
import WeMeetPeers

/// Keeps the node's channels to fellow group members in step with its groups' overlays
/// (Protocol.md §10.9): the links among the members the radar lists or a channel reaches
/// are dialled, and no other fellow member is.
///
/// Asked again and again — every sighting of a fellow member, every change of membership,
/// every few seconds — it coalesces: a request made while it works makes one more round,
/// so a crowd appearing at once costs a few rounds, not one per member.
actor OverlayArranger {
    private let friends: FriendBook
    private let groups: Groups
    private let manager: ConnectionManager
    /// Weak: the radar's sighting closure holds this arranger.
    private weak var radar: Radar?
    private var working = false
    private var again = false

    init(friends: FriendBook, groups: Groups, manager: ConnectionManager) {
        self.friends = friends
        self.groups = groups
        self.manager = manager
    }

    /// Arranges the overlay now, or once more after the round under way.
    func arrange(radar: Radar? = nil) async {
        if let radar { self.radar = radar }
        if working {
            again = true
            return
        }
        working = true
        repeat {
            again = false
            await round()
        } while again
        working = false
    }

    private func round() async {
        var addresses: [NodeID: PeerAddress] = [:]
        for (nodeID, address) in await radar?.addresses() ?? [] { addresses[nodeID] = address }
        let present = Set(addresses.keys).union(await manager.peers().map(\.nodeID))
        let links = await groups.overlayLinks(present: present)
        let fellows = await groups.fellows().subtracting(await friends.all.map(\.nodeID))
        await manager.arrangeOverlay(links: links.intersection(fellows), fellows: fellows, addresses: addresses)
    }
}
