import Foundation
import WeMeetAttachments
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

extension Groups {
    // MARK: Finding groups

    /// Finds a group by ID, ID prefix (8+ hex digits) or name, among the groups this node
    /// knows (its own and those seen through friends' posts).
    package func resolve(_ text: String) throws(NodeError) -> GroupID {
        if let id = GroupID(hex: text.lowercased()), states[id]?.definition != nil { return id }
        let known = states.values.filter { $0.definition != nil }
        let named = known.filter { $0.definition?.name == text }
        let candidates =
            named.isEmpty && text.count >= 8
            ? known.filter { $0.id.description.hasPrefix(text.lowercased()) } : named
        if candidates.count == 1 { return candidates[0].id }
        if candidates.count > 1 {
            // Prefer the one this node is in.
            let mine = candidates.filter { $0.role(of: own) == .member || $0.role(of: own) == .invited }
            if mine.count == 1 { return mine[0].id }
            throw NodeError(
                code: .conflict,
                message: "several groups are called \(text): "
                    + candidates.map { "\($0.definition?.name ?? "") \($0.id.shortForm)" }.joined(separator: ", ")
                    + "; use the group ID")
        }
        throw Self.unknown(text)
    }

    /// A group as the list shows it.
    package func summary(_ group: GroupID) throws(NodeError) -> GroupSummary {
        let state = try state(group)
        let definition = state.definition!
        let role = state.role(of: own)?.public ?? .none
        return GroupSummary(
            id: group.description, name: definition.name, public: definition.isPublic,
            role: role, admin: state.isAdmin(own), members: state.members.count,
            creator: NodeID(publicKey: definition.creator), epoch: state.epoch,
            readable: definition.isPublic || state.currentKey.map { groupKeys[group]?[$0] != nil } == true,
            invitedBy: role == .invited ? (inviters[group] ?? []).sorted() : nil)
    }

    /// The groups this node is in, was invited to, or left; by name.
    package func list() -> [GroupSummary] {
        states.values.filter { $0.definition != nil && $0.role(of: own) != nil }
            .compactMap { try? summary($0.id) }
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// Everyone in a group, admins first.
    package func members(_ group: GroupID) async throws(NodeError) -> [GroupMember] {
        let state = try state(group)
        var out: [GroupMember] = []
        for (nodeID, person) in state.people {
            out.append(
                GroupMember(
                    nodeID: nodeID, name: await name(of: nodeID, in: state), role: person.role.public,
                    admin: state.isAdmin(nodeID)))
        }
        return out.sorted {
            ($0.admin ? 0 : 1, $0.role.rawValue, $0.name) < ($1.admin ? 0 : 1, $1.role.rawValue, $1.name)
        }
    }

    // MARK: Posts

    /// One page of posts and the cursor of the page before it (nil when there is none).
    package struct Page: Sendable {
        package var posts: [FeedPost]
        package var earlier: UInt64?
    }

    /// A group's posts and comments, **oldest first**, at most `limit` of the latest `before`
    /// a cursor, in the order this node stored them (a post's timestamp is its author's
    /// claim and never moves it, as in a conversation, §9.4).
    package func posts(
        _ group: GroupID, since: Date? = nil, before: UInt64? = nil, limit: Int? = nil
    ) async throws(NodeError) -> Page {
        let state = try state(group)
        guard state.role(of: own) != nil else {
            throw NodeError(
                code: .notPermitted,
                message: "you are not in \(state.definition!.name); `wemeet discover` shows friends' posts in it")
        }
        var page = try await collect(
            Array(feeds[group] ?? []), contentTypes: [GroupRecord.ContentType.post], before: before,
            limit: limit ?? .max
        ) { entry in
            guard Self.isShown(entry, in: state, to: own) else { return nil }
            let post = await view(post: entry, in: state)
            if let since, post.sentAt <= since { return nil }
            return post
        }
        page.posts = PostThreads.annotate(page.posts.reversed())
        return page
    }

    /// Pages back through `feedIDs`, newest first, turning entries of `contentTypes` into
    /// posts with `make` (nil: not shown) until `limit` posts: the cost is the page's, not
    /// the history's (``Store/page(of:before:limit:contentTypes:)``).
    private func collect(
        _ feedIDs: [FeedID], contentTypes: Set<UInt16>, before: UInt64?, limit: Int,
        _ make: (Entry) async -> FeedPost?
    ) async throws(NodeError) -> Page {
        let chunk = limit == .max ? 512 : min(max(limit + limit / 2 + 1, 16), 512)
        var out: [FeedPost] = []
        var cursor = before
        while true {
            let entries: [(offset: UInt64, entry: Entry)]
            do {
                entries = try await store.page(of: feedIDs, before: cursor, limit: chunk, contentTypes: contentTypes)
            } catch {
                throw NodeError(code: .io, message: "cannot read posts: \(error)")
            }
            for (offset, entry) in entries {
                guard let post = await make(entry) else { continue }
                // One more post exists before this page: it starts the page before.
                if out.count == limit { return Page(posts: out, earlier: cursor) }
                out.append(post)
                cursor = offset
            }
            if entries.count < chunk { return Page(posts: out, earlier: nil) }
            cursor = entries.last?.offset
        }
    }

    /// Friends' posts in public groups this node is not a member of, newest first (in the
    /// order this node stored them).
    package func discover(before: UInt64? = nil, limit: Int = 50) async throws(NodeError) -> Page {
        var friendFeeds: [FeedID] = []
        var shown: [FeedID: GroupState] = [:]
        for (group, state) in states {
            guard let definition = state.definition, definition.isPublic, state.role(of: own) != .member else {
                continue
            }
            for id in feeds[group] ?? [] {
                guard let feed = await store.feed(id), await friends.isFriend(NodeID(publicKey: feed.author)) else {
                    continue
                }
                friendFeeds.append(id)
                shown[id] = state
            }
        }
        return try await collect(
            friendFeeds, contentTypes: [GroupRecord.ContentType.post], before: before, limit: limit
        ) { entry in
            guard let state = shown[entry.feedID], Self.isShown(entry, in: state, to: own) else { return nil }
            return await view(post: entry, in: state)
        }
    }

    /// The moments feeds of this node and its friends.
    private func momentFeeds() async -> [FeedID] {
        var feedIDs = [Feed(author: key.publicKey, kind: .moments).id]
        for friend in await friends.all {
            feedIDs.append(Feed(author: friend.nodeID.publicKey, kind: .moments).id)
        }
        return feedIDs
    }

    /// Moments by this node and its friends, newest first (in the order this node stored them).
    package func moments(before: UInt64? = nil, limit: Int = 50) async throws(NodeError) -> Page {
        await loadReactions()
        return try await collect(
            await momentFeeds(), contentTypes: [GroupRecord.ContentType.moment], before: before, limit: limit
        ) { entry in await view(moment: entry) }
    }

    /// One timeline: friends' moments and the posts of every group this node is a member
    /// of, newest first (in the order this node stored them: a future timestamp cannot pin
    /// a post to the top).
    package func feed(before: UInt64? = nil, limit: Int = 50) async throws(NodeError) -> Page {
        await loadReactions()
        var feedIDs = await momentFeeds()
        var member: [FeedID: GroupState] = [:]
        for (group, state) in states where state.role(of: own) == .member {
            for id in feeds[group] ?? [] {
                feedIDs.append(id)
                member[id] = state
            }
        }
        return try await collect(
            feedIDs, contentTypes: [GroupRecord.ContentType.moment, GroupRecord.ContentType.post], before: before,
            limit: limit
        ) { entry in
            if entry.contentType == GroupRecord.ContentType.moment {
                return entry.feed.kind == .moments ? await view(moment: entry) : nil
            }
            guard let state = member[entry.feedID], Self.isShown(entry, in: state, to: own) else { return nil }
            return await view(post: entry, in: state)
        }
    }

    // MARK: Rendering

    /// Whether a post is shown to `viewer` (Protocol.md §10.5): in a group the viewer is in,
    /// only posts written while their author was a member (after its join, before its leave,
    /// within what a removal of it saw) — not an outsider's, not a removed member's later
    /// ones, whatever their timestamps. Outside the group (discover), a friend's own posts.
    package static func isShown(_ entry: Entry, in state: GroupState, to viewer: NodeID) -> Bool {
        state.role(of: viewer) == nil || state.mayPost(NodeID(publicKey: entry.feed.author), seq: entry.seq)
    }

    /// A post's body, opened when sealed; nil when this node cannot read it.
    package func body(ofPost entry: Entry, in state: GroupState) -> GroupRecord.Post? {
        plaintext(of: entry, in: state).flatMap { try? JSONDecoder().decode(GroupRecord.Post.self, from: Data($0)) }
    }

    /// A post's or recall's JSON: the payload in a public group, opened with the group key in
    /// a private one; nil when this node cannot open it.
    package func plaintext(of entry: Entry, in state: GroupState) -> [UInt8]? {
        if state.definition?.isPublic == true { return entry.payload }
        guard let keyID = GroupCipher.keyID(ofSealed: entry.payload), let groupKey = groupKeys[state.id]?[keyID]
        else { return nil }
        return try? GroupCipher.open(entry.payload, key: groupKey, feed: entry.feedID)
    }

    package func view(post entry: Entry, in state: GroupState) async -> FeedPost {
        let author = NodeID(publicKey: entry.feed.author)
        let body = body(ofPost: entry, in: state)
        var post = FeedPost(
            id: entry.id.description, kind: .post, group: state.id.description, groupName: state.definition?.name,
            author: author, from: await name(of: author, in: state), text: body?.text, reply: body?.reply,
            sentAt: Self.date(entry.timestamp), seq: entry.seq, attachments: Self.views(body?.attachments))
        if recalls.isRecalled(post.id) {
            post.text = ""
            post.attachments = nil
            post.recalled = true
        } else if let quote = body?.quote {
            post.quote = await quoted(quote, in: state)
        }
        return post
    }

    /// What a post's quote shows, read from this node's own store (Protocol.md §10.2): the
    /// entry at `seq` of the author's group feed for this same group must be a post with that
    /// ID, one this node shows and can read. Anything else — another group's entry, a
    /// membership record, a forged ID, a seq not held, a post not shown — is "not available",
    /// and nothing of it is shown.
    package func quoted(_ quote: QuoteReference, in state: GroupState) async -> QuotedMessage {
        let unavailable = QuotedMessage(id: String(quote.id.prefix(64)), available: false)
        guard let author = try? NodeID(quote.author), quote.seq > 0 else { return unavailable }
        let feed = Feed(author: author.publicKey, kind: .group, audience: state.id.rawValue)
        guard quote.seq <= (await store.head(of: feed.id)),
            let entry = try? await store.entries(of: feed.id, seqs: quote.seq...quote.seq).first,
            entry.id.description == quote.id.lowercased(), entry.contentType == GroupRecord.ContentType.post,
            Self.isShown(entry, in: state, to: own), !recalls.isRecalled(entry.id.description),
            let body = body(ofPost: entry, in: state)
        else { return unavailable }
        return QuotedMessage(
            id: entry.id.description, available: true, from: await name(of: author, in: state), text: body.text,
            attachments: body.attachments?.count ?? 0)
    }

    /// The views of a body's attachments, nil when it has none (at most 16 are shown).
    package static func views(_ references: [AttachmentReference]?) -> [Attachment]? {
        guard let references, !references.isEmpty else { return nil }
        return references.prefix(AttachmentReference.maximumPerEntry).map(\.view)
    }

    package func view(moment entry: Entry) async -> FeedPost {
        let author = NodeID(publicKey: entry.feed.author)
        let body = try? JSONDecoder().decode(GroupRecord.Post.self, from: Data(entry.payload))
        var post = FeedPost(
            id: entry.id.description, kind: .moment, author: author,
            from: await name(of: author, in: nil), text: body?.text, sentAt: Self.date(entry.timestamp),
            seq: entry.seq, attachments: Self.views(body?.attachments))
        // Likes and comments from the feeds this node holds: its friends' and its own (§10.8).
        var likes: [String] = []
        for liker in reactions.likes(of: post.id) { likes.append(await name(of: liker, in: nil)) }
        var comments: [FeedPost.MomentComment] = []
        for comment in reactions.comments(on: post.id) {
            comments.append(FeedPost.MomentComment(from: await name(of: comment.author, in: nil), text: comment.text))
        }
        post.likes = likes.isEmpty ? nil : likes
        post.comments = comments.isEmpty ? nil : comments
        return post
    }

    /// Reads every reaction of the moments feeds held, once (then ``ingest`` keeps it up to date).
    private func loadReactions() async {
        guard !reactionsLoaded else { return }
        reactionsLoaded = true
        for feed in await momentFeeds() {
            let head = await store.head(of: feed)
            guard head > 0, let entries = try? await store.entries(of: feed, seqs: 1...head) else { continue }
            for entry in entries where entry.contentType == MomentReactions.contentType { reactions.apply(entry) }
        }
    }

    /// "me", a friend's name, the name a member joined with, or a short node ID.
    package func name(of nodeID: NodeID, in state: GroupState?) async -> String {
        if nodeID == own { return "me" }
        if let friend = await friends.friend(nodeID) { return friend.name }
        // The name a member joined with is a peer's claim: the rules of §2 apply (DisplayName).
        return state?.people[nodeID]?.name.map { DisplayName.received($0, from: nodeID) } ?? nodeID.shortForm
    }

    package static func date(_ milliseconds: UInt64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
