import Foundation
import WeMeetAttachments
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

extension Groups {
    // MARK: Membership

    /// Creates a group with this node as its first admin (and, when private, its first key).
    package func create(name: String, isPublic: Bool) async throws(NodeError) -> GroupSummary {
        try GroupDefinition.validate(name: name)
        let definition = GroupDefinition(
            creator: key.publicKey, isPublic: isPublic, nonce: Random.bytes(count: 16), name: name)
        try await append(
            definition.id, GroupRecord.ContentType.join,
            GroupRecord.encode(GroupRecord.Join(definition, memberName: ownName, deps: [:])))
        logger.info(
            "created a group", metadata: ["group": "\(definition.id.shortForm)", "public": "\(isPublic)"])
        return try summary(definition.id)
    }

    /// Invites a friend (admins only); it gets the current key and decides whether to join.
    package func invite(_ group: GroupID, _ member: Friend) async throws(NodeError) {
        let state = try state(group)
        try requireAdmin(state, to: "invite")
        let nodeID = member.nodeID
        switch state.role(of: nodeID) {
        case .member?: throw NodeError(code: .conflict, message: "\(member.name) is already a member")
        case .invited?: throw NodeError(code: .conflict, message: "\(member.name) is already invited")
        default: break
        }
        try await append(
            group, GroupRecord.ContentType.member,
            GroupRecord.encode(GroupRecord.Member(action: "invite", member: nodeID.description, deps: citations(group)))
        )
    }

    /// Joins a group this node was invited to, or any public group it knows of.
    package func join(_ group: GroupID) async throws(NodeError) -> GroupSummary {
        let state = try state(group)
        guard let definition = state.definition else { throw Self.unknown(group.description) }
        switch state.role(of: own) {
        case .member?:
            throw NodeError(code: .conflict, message: "you are already a member of \(definition.name)")
        case .removed? where definition.isPublic:
            throw NodeError(code: .notPermitted, message: "an admin removed you from \(definition.name)")
        case .invited?:
            break
        default:
            guard definition.isPublic else {
                throw NodeError(
                    code: .notPermitted, message: "\(definition.name) is private: an admin must invite you first")
            }
        }
        try await append(
            group, GroupRecord.ContentType.join,
            GroupRecord.encode(GroupRecord.Join(definition, memberName: ownName, deps: citations(group))))
        return try summary(group)
    }

    /// Leaves a group: an admin starts a new key epoch without this node.
    package func leave(_ group: GroupID) async throws(NodeError) {
        let state = try state(group)
        guard let role = state.role(of: own), role == .member || role == .invited else {
            throw NodeError(code: .conflict, message: "you are not in \(state.definition?.name ?? "that group")")
        }
        try await append(
            group, GroupRecord.ContentType.leave, GroupRecord.encode(GroupRecord.Leave(deps: citations(group))))
    }

    /// Removes a member or invitee (admins only); the key moves to a new epoch without it.
    package func remove(_ group: GroupID, _ member: NodeID) async throws(NodeError) {
        let state = try state(group)
        try requireAdmin(state, to: "remove members")
        guard let role = state.role(of: member), role == .member || role == .invited else {
            throw NodeError(code: .notFound, message: "\(member.shortForm) is not in the group")
        }
        guard member.publicKey != state.definition?.creator else {
            throw NodeError(code: .notPermitted, message: "the group's creator cannot be removed")
        }
        try await append(
            group, GroupRecord.ContentType.member,
            GroupRecord.encode(GroupRecord.Member(action: "remove", member: member.description, deps: citations(group)))
        )
    }

    /// Makes a member an admin (the creator only).
    package func promote(_ group: GroupID, _ member: NodeID) async throws(NodeError) {
        let state = try state(group)
        guard state.definition?.creator == key.publicKey, state.isAdmin(own) else {
            throw NodeError(code: .notPermitted, message: "only the group's creator names admins")
        }
        guard state.role(of: member) == .member else {
            throw NodeError(code: .notFound, message: "\(member.shortForm) is not a member")
        }
        try await append(
            group, GroupRecord.ContentType.member,
            GroupRecord.encode(GroupRecord.Member(action: "admin", member: member.description, deps: citations(group))))
    }

    // MARK: Posting

    /// Posts (or, with `reply`, comments) in a group this node is a member of.
    package func post(
        _ group: GroupID, text: String, reply: String?, attachments: [AttachmentReference] = [],
        mentions: [String] = [], quote: String? = nil
    )
        async throws(NodeError) -> FeedPost
    {
        let state = try state(group)
        guard let definition = state.definition, state.role(of: own) == .member else {
            throw NodeError(
                code: .notPermitted,
                message: "you are not a member of \(state.definition?.name ?? "that group"); join it first")
        }
        try Self.validate(text: text, attachments: attachments)
        var replyID: String?
        if let reply {
            replyID = try await resolvePost(reply, in: group).id.description
        }
        // A quote names a post of this group (by ID or its first 8 digits): its author and seq
        // go with it, so any reader finds it in its own store (§10.2).
        var quoted: QuoteReference?
        if let quote {
            let entry = try await resolvePost(quote, in: group)
            quoted = QuoteReference(
                author: NodeID(publicKey: entry.feed.author).description, id: entry.id.description, seq: entry.seq)
        }
        // Mentions name members (by name or node ID), at most 64.
        guard mentions.count <= GroupRecord.Post.maximumMentions else {
            throw NodeError(
                code: .invalidArgument,
                message: "a post mentions at most \(GroupRecord.Post.maximumMentions) members")
        }
        var mentioned: [String] = []
        let members = try await self.members(group).filter { $0.role == .member }
        for text in mentions {
            let parsed = try? NodeID(text)
            let named = members.filter { $0.nodeID == parsed || $0.name == text }
            guard named.count == 1, let member = named.first else {
                throw NodeError(
                    code: .invalidArgument,
                    message: named.isEmpty
                        ? "\(text.prefix(64)) is not a member of \(definition.name)"
                        : "several members are called \(text.prefix(64)); mention them by node ID")
            }
            if !mentioned.contains(member.nodeID.description) { mentioned.append(member.nodeID.description) }
        }
        let body = GroupRecord.encode(
            GroupRecord.Post(
                text: text, reply: replyID, attachments: attachments, mentions: mentioned, quote: quoted))
        let payload = try sealed(body, in: state)
        let entry = try await append(group, GroupRecord.ContentType.post, payload)
        recalls.noteSeen(entry.id.description, at: clock.now())
        announce(entry, attachments)
        return await view(post: entry, in: state)
    }

    /// A post's or recall's JSON as this node writes it to `state`'s group: as it is in a
    /// public group, sealed under the current group key in a private one (§10.4).
    func sealed(_ body: [UInt8], in state: GroupState) throws(NodeError) -> [UInt8] {
        guard state.definition?.isPublic == false else { return body }
        guard let keyID = state.currentKey, let groupKey = groupKeys[state.id]?[keyID] else {
            throw NodeError(
                code: .conflict,
                message: "the group key has not reached this node yet; it comes with the admin's records")
        }
        let feed = Feed(author: key.publicKey, kind: .group, audience: state.id.rawValue)
        do { return try GroupCipher.seal(body, key: groupKey, keyID: keyID, feed: feed.id) } catch {
            throw NodeError(code: .io, message: "cannot seal the post: \(error)")
        }
    }

    /// Posts a moment: served to every friend (and nobody else) when they next meet.
    package func postMoment(
        _ text: String, attachments: [AttachmentReference] = []
    ) async throws(NodeError)
        -> FeedPost
    {
        try Self.validate(text: text, attachments: attachments)
        let feed = Feed(author: key.publicKey, kind: .moments)
        let entry: Entry
        do {
            entry = try await store.append(
                to: feed, contentType: GroupRecord.ContentType.moment,
                payload: GroupRecord.encode(GroupRecord.Post(text: text, attachments: attachments)), key: key)
        } catch {
            throw NodeError(code: .io, message: "cannot store the moment: \(error)")
        }
        growth.grew(feed, to: entry.seq)
        announce(entry, attachments)
        return await view(moment: entry)
    }

    /// Likes, unlikes or comments on a moment (its entry ID): an entry in this node's own
    /// moments feed, so exactly its friends get it (§10.8).
    package func react(_ record: MomentReactions.Record) async throws(NodeError) {
        let moment = record.like ?? record.unlike ?? record.comment ?? ""
        guard moment.count == 64, moment.allSatisfy(\.isHexDigit) else {
            throw NodeError(code: .invalidArgument, message: "a moment is named by its ID (64 hex digits)")
        }
        if record.comment != nil {
            let text = record.text ?? ""
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                text.utf8.count <= MomentReactions.maximumCommentBytes
            else {
                throw NodeError(
                    code: .invalidArgument,
                    message: "a comment has 1 to \(MomentReactions.maximumCommentBytes) bytes of text")
            }
        }
        let feed = Feed(author: key.publicKey, kind: .moments)
        let entry: Entry
        do {
            entry = try await store.append(
                to: feed, contentType: MomentReactions.contentType, payload: GroupRecord.encode(record), key: key)
        } catch {
            throw NodeError(code: .io, message: "cannot store the reaction: \(error)")
        }
        growth.grew(feed, to: entry.seq)
        if reactionsLoaded { reactions.apply(entry) }
    }

    package static func validate(text: String, attachments: [AttachmentReference] = []) throws(NodeError) {
        guard !text.isEmpty || !attachments.isEmpty else {
            throw NodeError(code: .invalidArgument, message: "the post is empty")
        }
        guard attachments.count <= AttachmentReference.maximumPerEntry else {
            throw NodeError(
                code: .invalidArgument,
                message:
                    "\(attachments.count) attachments; a post carries at most \(AttachmentReference.maximumPerEntry)")
        }
        guard text.utf8.count <= maximumTextBytes else {
            throw NodeError(
                code: .invalidArgument,
                message: "the post is \(text.utf8.count) bytes; the limit is \(maximumTextBytes) (16 KiB)")
        }
    }

    // MARK: Helpers

    package func state(_ group: GroupID) throws(NodeError) -> GroupState {
        guard let state = states[group], state.definition != nil else { throw Self.unknown(group.description) }
        return state
    }

    private func requireAdmin(_ state: GroupState, to action: String) throws(NodeError) {
        guard state.isAdmin(own) else {
            throw NodeError(
                code: .notPermitted, message: "only an admin of \(state.definition?.name ?? "the group") can \(action)")
        }
    }

    package static func unknown(_ text: String) -> NodeError {
        NodeError(code: .notFound, message: "no group called \(text) (see `wemeet group list` and `wemeet discover`)")
    }

    /// Finds a post of `group` by entry ID or its first 8+ hex digits.
    func resolvePost(_ text: String, in group: GroupID) async throws(NodeError) -> Entry {
        let prefix = text.lowercased()
        guard prefix.count >= 8 else {
            throw NodeError(code: .invalidArgument, message: "give at least 8 hex digits of the post's ID")
        }
        // Newest first, a page at a time: a full ID stops at its post (a comment is usually on a
        // recent one); a prefix reads on until a second match or the first post.
        var matches: [Entry] = []
        var cursor: UInt64?
        paging: while true {
            let page =
                (try? await store.page(
                    of: Array(feeds[group] ?? []), before: cursor, limit: 512,
                    contentTypes: [GroupRecord.ContentType.post])) ?? []
            for (_, entry) in page where entry.id.description.hasPrefix(prefix) {
                matches.append(entry)
                if prefix.count == 64 || matches.count > 1 { break paging }
            }
            guard page.count == 512, let last = page.last else { break }
            cursor = last.offset
        }
        guard matches.count == 1 else {
            throw NodeError(
                code: matches.isEmpty ? .notFound : .conflict,
                message: matches.isEmpty ? "no post \(text) in this group" : "several posts start with \(text)")
        }
        return matches[0]
    }
}
