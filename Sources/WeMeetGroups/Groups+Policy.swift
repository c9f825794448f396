import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

extension Groups {
    /// Whether `peer` and this node are both in some group (so they sync and dial each
    /// other even when they are not friends), or `peer` left or was removed from a group
    /// this node is in (it is served the admins' records, to learn so).
    package func sharesGroup(with peer: NodeID) -> Bool {
        states.values.contains { state in
            state.role(of: own) == .member && state.role(of: peer) != nil
        }
    }

    /// Everyone who is in a group with this node (``sharesGroup(with:)`` for each).
    package func fellows() -> Set<NodeID> {
        var out: Set<NodeID> = []
        for state in states.values where state.role(of: own) == .member { out.formUnion(state.people.keys) }
        out.remove(own)
        return out
    }

    /// Whether the group feed `feed` may be served to `peer` (Protocol.md §10.5):
    /// - members and invitees get every feed of the group (and this node's own, even after
    ///   it left);
    /// - members who left or were removed get only the admins' feeds (membership and keys;
    ///   posts there are sealed under keys they no longer get);
    /// - friends get this node's own feed of a public group, unless it hides public posts.
    package func mayServe(_ feed: Feed, to peer: NodeID, peerIsFriend: Bool, hidePublicPosts: Bool) -> Bool {
        let group = GroupID(rawValue: feed.audience)
        guard let state = states[group], let definition = state.definition else { return false }
        let author = NodeID(publicKey: feed.author)
        // This node's own feed goes to the members even after it left: it carries the leave.
        if author == own, let role = state.role(of: peer), role == .member || role == .invited { return true }
        if state.role(of: own) == .member {
            // A feed of someone who never joined is not relayed to members (it may sit here as
            // a friend's feed taken for discover, or as an outsider's posts): §10.5.
            guard state.role(of: author) != nil else { return false }
            switch state.role(of: peer) {
            case .member?, .invited?: return true
            case .left?, .removed?: if state.isAdmin(author) { return true }
            case nil: break
            }
        }
        return definition.isPublic && author == own && peerIsFriend && !hidePublicPosts
            && state.role(of: own) == .member
    }

    /// Whether the attachments referenced in the group feed `feed` may go to `peer`
    /// (Protocol.md §13.3): as the feed itself, except that someone who left or was removed
    /// gets none. The admins' feeds still reach them, but only to tell them so: what is
    /// posted there is sealed under keys they no longer get, and so are its blobs.
    package func mayServeAttachments(
        of feed: Feed, to peer: NodeID, peerIsFriend: Bool, hidePublicPosts: Bool
    ) -> Bool {
        switch states[GroupID(rawValue: feed.audience)]?.role(of: peer) {
        case .left?, .removed?: return false
        default: return mayServe(feed, to: peer, peerIsFriend: peerIsFriend, hidePublicPosts: hidePublicPosts)
        }
    }

    /// Whether entries of the group feed `feed` coming from `peer` are kept: from any member
    /// of a group this node is in (records of people not in a private group are not), and
    /// otherwise only a friend's own feed (an invitation, or a public post for discover).
    package func mayAccept(_ feed: Feed, from peer: NodeID, peerIsFriend: Bool) -> Bool {
        let group = GroupID(rawValue: feed.audience)
        let author = NodeID(publicKey: feed.author)
        if let state = states[group], let definition = state.definition {
            switch state.role(of: own) {
            case .member?, .invited?:
                if definition.isPublic || state.role(of: author) != nil { return true }
            case .left?, .removed?:
                if state.isAdmin(author) { return true }
            case nil:
                break
            }
        }
        // A friend whose own feed invites this node passes on the group's other feeds too: an
        // invitee needs what the invitation cites to see it (§10.5), and a non-creator admin's
        // invitation would otherwise never reach its invitee.
        if peerIsFriend, inviters[group]?.contains(peer) == true { return true }
        return author == peer && peerIsFriend
    }

    /// Whether this node is in `group` (a member, invited, or one who left or was removed and
    /// still reads its admins' records): its feeds there are not an outsider's (§8.4).
    package func takesPart(in group: GroupID) -> Bool {
        states[group]?.role(of: own) != nil
    }
}
