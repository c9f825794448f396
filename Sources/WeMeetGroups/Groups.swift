import Foundation
import Logging
import WeMeetAttachments
import WeMeetChannel
import WeMeetCrypto
import WeMeetFriends
import WeMeetModel
import WeMeetStore
import WeMeetSync

/// WeMeet Group (Protocol.md §10): private and public groups, their membership and keys,
/// posts and comments, and moments for friends.
///
/// Every member writes its own feed of a group (kind 3, audience = group ID): its join
/// record, its posts, and — for admins — membership changes and key hand-outs. The
/// membership is folded from all of those (``GroupState``); sync (with ``NodePolicy``)
/// carries every member's feed to every other member, through any member that holds it.
package actor Groups: IngestConsumer {
    /// The longest post, in UTF-8 bytes.
    package static let maximumTextBytes = 16_384

    package let key: Ed25519.PrivateKey
    package let own: NodeID
    /// The name this node gives itself in the join records it writes (``rename(_:)``).
    package private(set) var ownName: String

    /// The name this node gives itself in join records from now on.
    package func rename(_ name: String) { ownName = name }
    package let store: Store
    package let friends: FriendBook
    package let growth: FeedGrowth
    package let policyChanges: PolicyChanges
    package let finds: AttachmentFinds
    package let events: EventHub
    package let logger: Logger
    /// Membership records per group (posts are read from the store when shown).
    package var operations: [GroupID: [GroupState.Operation]] = [:]
    /// The group feeds held, per group.
    package var feeds: [GroupID: Set<FeedID>] = [:]
    /// The seq this node holds of each author's feed, per group (posts included).
    package var heads: [GroupID: [NodeID: UInt64]] = [:]
    /// Groups whose records carry no citations (made by an earlier version), told once.
    private var legacy: Set<GroupID> = []
    /// Per group, the authors of records inviting this node (placed in the fold or not).
    package var inviters: [GroupID: Set<NodeID>] = [:]
    /// ``inviters`` as the last ``changed(_:)`` saw them (a new inviter lets sync re-ask).
    private var invitersSeen: [GroupID: Set<NodeID>] = [:]
    package var states: [GroupID: GroupState] = [:]
    /// Each group's overlay ring (§10.9), for the members it was made of.
    package var overlays: [GroupID: (members: [NodeID], overlay: GroupOverlay)] = [:]
    /// Likes and comments on moments (§10.8), read from the moments feeds held once, on the
    /// first view of moments, then kept up to date as reactions arrive.
    package var reactions = MomentReactions()
    package var reactionsLoaded = false
    /// Group keys this node was given (or made), per group and key ID.
    package var groupKeys: [GroupID: [[UInt8]: SymmetricKey]] = [:]
    /// Membership records noted per group and author (the fold reads at most
    /// ``GroupState/maximumRecordsPerAuthor`` of each).
    private var recordCounts: [GroupID: [NodeID: Int]] = [:]
    private var reconciling: Set<GroupID> = []
    private var reconcileAgain: Set<GroupID> = []
    /// When recent posts arrived, and which were recalled (§10.2).
    package var recalls: RecallLedger
    /// This node's own monotonic clock, for the recall window.
    package let clock: ArrivalClock

    package init(
        key: Ed25519.PrivateKey, name: String, store: Store, friends: FriendBook, growth: FeedGrowth,
        policyChanges: PolicyChanges, finds: AttachmentFinds = AttachmentFinds(), events: EventHub, logger: Logger,
        recallsPath: String? = nil, clock: ArrivalClock = .system
    ) async throws {
        recalls = RecallLedger(path: recallsPath)
        self.clock = clock
        self.key = key
        self.finds = finds
        own = NodeID(publicKey: key.publicKey)
        ownName = name
        self.store = store
        self.friends = friends
        self.growth = growth
        self.policyChanges = policyChanges
        self.events = events
        self.logger = logger
        for (id, feed, head, _) in await store.allFeeds() where feed.kind == .group && head > 0 {
            let group = GroupID(rawValue: feed.audience)
            feeds[group, default: []].insert(id)
            heads[group, default: [:]][NodeID(publicKey: feed.author)] = head
            for entry in try await store.entries(of: id, seqs: 1...head) { note(entry) }
        }
        for group in operations.keys { refold(group) }
    }

    // MARK: Folding

    /// Keeps a membership record; true when `entry` is one the fold reads (an author's
    /// records past ``GroupState/maximumRecordsPerAuthor`` are not: entries of a feed come
    /// in seq order, so every node reads the same first ones).
    @discardableResult
    package func note(_ entry: Entry) -> Bool {
        guard entry.feed.kind == .group else { return false }
        let group = GroupID(rawValue: entry.feed.audience)
        let author = NodeID(publicKey: entry.feed.author)
        if entry.seq > heads[group]?[author] ?? 0 { heads[group, default: [:]][author] = entry.seq }
        guard entry.contentType != GroupRecord.ContentType.post, entry.contentType != GroupRecord.ContentType.recall,
            let record = GroupRecord(entry)
        else {
            return false
        }
        guard let operation = GroupState.Operation(author: author, seq: entry.seq, record: record) else {
            if legacy.insert(group).inserted {
                logger.info(
                    "a group record carries no citations (made by an earlier WeMeet version); such records are ignored",
                    metadata: ["group": "\(group.shortForm)", "author": "\(author)"])
            }
            return true
        }
        let count = recordCounts[group]?[author] ?? 0
        guard count < GroupState.maximumRecordsPerAuthor else {
            if count == GroupState.maximumRecordsPerAuthor {
                recordCounts[group, default: [:]][author] = count + 1
                logger.info(
                    "a member wrote more membership records than the fold reads; ignoring the rest",
                    metadata: ["group": "\(group.shortForm)", "author": "\(author)"])
            }
            return false
        }
        recordCounts[group, default: [:]][author] = count + 1
        operations[group, default: []].append(operation)
        if case .member(let change) = record, change.action == "invite", change.member == own.description {
            inviters[group, default: []].insert(author)
        }
        return true
    }

    /// What this node's next record in `group` cites: for each other author, the seq up to
    /// which its records are placed in this node's fold (§10.3).
    package func citations(_ group: GroupID) -> GroupRecord.Citations {
        var out: GroupRecord.Citations = [:]
        let state = states[group]
        // The heads held now (posts included), less any author's records still waiting: a post
        // that arrived since the last fold is cited without folding again for it.
        for (author, head) in heads[group] ?? [:] where author != own {
            let seq = state?.firstWaiting[author].map { $0 - 1 } ?? head
            if seq > 0 { out[author.description] = seq }
        }
        return out
    }

    /// How many times a group was folded since start-up (what a post must not cost).
    package private(set) var folds = 0

    /// Folds a group again and opens any key handed to this node.
    package func refold(_ group: GroupID) {
        folds += 1
        let state = GroupState(id: group, operations: operations[group] ?? [], heads: heads[group] ?? [:])
        states[group] = state
        for (keyID, record) in state.keys where groupKeys[group]?[keyID] == nil {
            for (admin, wrap) in record.wraps[own] ?? [] {
                if let opened = try? GroupCipher.unwrap(wrap, keyID: keyID, own: key, admin: admin, group: group) {
                    groupKeys[group, default: [:]][keyID] = opened
                    break
                }
            }
        }
    }

    /// Folds `group` again after new records, tells the user what changed for them, lets
    /// sync re-check who gets what, and (as an admin) hands out or rotates the key.
    package func changed(_ group: GroupID) async {
        let before = states[group]
        let invitersBefore = invitersSeen[group] ?? []
        invitersSeen[group] = inviters[group] ?? []
        let keysBefore = groupKeys[group]?.count ?? 0
        refold(group)
        guard let after = states[group], let definition = after.definition else { return }
        let was = before?.role(of: own)
        let now = after.role(of: own)
        if was != now, let now {
            let type: NodeEvent.Kind? =
                switch now {
                case .invited: .groupInvited
                case .removed: .groupRemoved
                default: nil
                }
            if let type {
                events.publish(NodeEvent(type: type, detail: definition.name, group: group.description))
            }
        }
        // Joined (or rejoined): the posts already held — taken for discover, or from members
        // met before the join — have their photos catalogued now.
        if was != .member && now == .member { await announcePosts(in: group) }
        let membership = before?.people != after.people
        // Every change a reader could wait for gets an event: membership, a new epoch, or
        // the key reaching this node (an invitee can see the invitation before its key).
        if membership || before?.currentKey != after.currentKey || keysBefore != groupKeys[group]?.count ?? 0 {
            events.publish(NodeEvent(type: .groupChanged, detail: definition.name, group: group.description))
        }
        if membership || invitersBefore != invitersSeen[group] ?? [] {
            policyChanges.publish(.membership)
        }
        await reconcile(group)
    }

    /// As an admin of a private group: starts a new epoch when the current key was given to
    /// someone who is no longer in the group, or hands the current key to members who lack
    /// it. One writer per group; a call meanwhile makes it look again.
    private func reconcile(_ group: GroupID) async {
        guard let state = states[group], let definition = state.definition, !definition.isPublic,
            state.isAdmin(own)
        else { return }
        guard reconciling.insert(group).inserted else {
            reconcileAgain.insert(group)
            return
        }
        defer { reconciling.remove(group) }
        repeat {
            reconcileAgain.remove(group)
            guard let state = states[group], state.isAdmin(own) else { return }
            let missing = state.missingCurrentKey
            let current = state.currentKey.flatMap { groupKeys[group]?[$0] }
            let groupKey: SymmetricKey
            let recipients: Set<NodeID>
            if state.needsRotation || (!missing.isEmpty && current == nil) {
                groupKey = SymmetricKey()
                recipients = state.audience
                logger.info(
                    "starting a new key epoch",
                    metadata: ["group": "\(group.shortForm)", "members": "\(recipients.count)"])
            } else if let current, !missing.isEmpty {
                groupKey = current
                recipients = missing
            } else {
                continue
            }
            let keyID = GroupCipher.keyID(of: groupKey, group: group)
            var wraps: [String: String] = [:]
            for member in recipients {
                guard let wrap = try? GroupCipher.wrap(groupKey, for: member.publicKey, admin: key, group: group)
                else { continue }
                wraps[member.description] = Hex.encode(wrap)
            }
            groupKeys[group, default: [:]][keyID] = groupKey
            do {
                let replaces = state.keys[keyID] == nil ? state.currentKey.map { Hex.encode($0) } : nil
                _ = try await append(
                    group, GroupRecord.ContentType.key,
                    GroupRecord.encode(
                        GroupRecord.Key(
                            key: Hex.encode(keyID), replaces: replaces, wraps: wraps, deps: citations(group))),
                    refold: false)
                refold(group)
            } catch {
                logger.warning("cannot write a group key", metadata: ["group": "\(group)", "reason": "\(error)"])
                return
            }
        } while reconcileAgain.contains(group)
    }

    /// Appends to this node's feed of `group`; durable when it returns, then offered to peers.
    @discardableResult
    package func append(
        _ group: GroupID, _ contentType: UInt16, _ payload: [UInt8], refold: Bool = true
    ) async throws(NodeError)
        -> Entry
    {
        let feed = Feed(author: key.publicKey, kind: .group, audience: group.rawValue)
        let entry: Entry
        do { entry = try await store.append(to: feed, contentType: contentType, payload: payload, key: key) } catch {
            throw NodeError(code: .io, message: "cannot store the group record: \(error)")
        }
        feeds[group, default: []].insert(feed.id)
        if note(entry), refold { await changed(group) }
        growth.grew(feed, to: entry.seq)
        return entry
    }

    // MARK: Receiving

    /// Entries sync stored: membership records are folded in, new posts and moments
    /// announced.
    package func ingested(_ entries: [Entry], from peer: PeerInfo) async {
        var changedGroups: Set<GroupID> = []
        var posts: [Entry] = []
        var recallEntries: [Entry] = []
        for entry in entries {
            switch entry.feed.kind {
            case .group:
                let group = GroupID(rawValue: entry.feed.audience)
                feeds[group, default: []].insert(entry.feedID)
                if note(entry) {
                    changedGroups.insert(group)
                } else if entry.contentType == GroupRecord.ContentType.post
                    || entry.contentType == GroupRecord.ContentType.recall
                {
                    if entry.contentType == GroupRecord.ContentType.post {
                        posts.append(entry)
                        recalls.noteSeen(entry.id.description, at: clock.now())
                    } else {
                        recallEntries.append(entry)
                    }
                    // A post (or recall) can be what a waiting record cited (§10.3): fold again
                    // then, and only then — its cost does not grow with the group's records.
                    let author = NodeID(publicKey: entry.feed.author)
                    if let needed = states[group]?.blockedOn[author], entry.seq >= needed {
                        changedGroups.insert(group)
                    }
                }
            case .moments:
                if entry.contentType == MomentReactions.contentType {
                    if reactionsLoaded { reactions.apply(entry) }
                    events.publish(
                        NodeEvent(
                            type: .momentsReaction, peer: NodeID(publicKey: entry.feed.author),
                            name: await name(of: NodeID(publicKey: entry.feed.author), in: nil)))
                    continue
                }
                guard entry.contentType == GroupRecord.ContentType.moment else { continue }
                let moment = await view(moment: entry)
                announce(
                    entry, (try? JSONDecoder().decode(GroupRecord.Post.self, from: Data(entry.payload)))?.attachments)
                events.publish(
                    NodeEvent(type: .momentsPost, peer: moment.author, detail: moment.text, name: moment.from))
            default:
                continue
            }
        }
        for group in changedGroups.sorted() { await changed(group) }
        for entry in posts {
            let group = GroupID(rawValue: entry.feed.audience)
            guard let state = states[group] ?? nil, state.definition != nil, Self.isShown(entry, in: state, to: own)
            else { continue }
            let post = await view(post: entry, in: state)
            // In a group this node is (or was) in: a group post; otherwise a friend's public
            // post for discover. Its photos are catalogued either way: discover shows them too.
            let inGroup = state.role(of: own) != nil
            let body = body(ofPost: entry, in: state)
            announce(entry, body?.attachments)
            events.publish(
                NodeEvent(
                    type: inGroup ? .groupPost : .discoverPost, peer: post.author, detail: post.text,
                    name: post.from, group: group.description))
            // Mentioned by a member, in a group this node is a member of: notified even when
            // the group is muted (the client decides). Only others' posts mention us.
            if state.role(of: own) == .member, post.author != own, body?.mentions(own) == true {
                events.publish(
                    NodeEvent(
                        type: .groupMention, peer: post.author, detail: post.text, name: post.from,
                        group: group.description))
            }
        }
        for entry in recallEntries { await honourRecall(entry) }
    }
}

extension Groups {
    /// Tells the attachments catalogue of the references in every post of `group` held here
    /// that this node may show, a page at a time.
    package func announcePosts(in group: GroupID) async {
        guard let state = states[group] else { return }
        var cursor: UInt64?
        while true {
            let page =
                (try? await store.page(
                    of: Array(feeds[group] ?? []), before: cursor, limit: 512,
                    contentTypes: [GroupRecord.ContentType.post])) ?? []
            for (_, entry) in page where Self.isShown(entry, in: state, to: own) {
                announce(entry, body(ofPost: entry, in: state)?.attachments)
            }
            guard page.count == 512, let last = page.last else { return }
            cursor = last.offset
        }
    }

    /// Tells the attachments catalogue of the references in `entry` (§13.2).
    package func announce(_ entry: Entry, _ references: [AttachmentReference]?) {
        guard let references, !references.isEmpty else { return }
        finds.announce(
            AttachmentFinds.Found(
                references: Array(references.prefix(AttachmentReference.maximumPerEntry)), feed: entry.feed,
                entry: entry.id.description))
    }
}
