import Foundation
import WeMeetCrypto
import WeMeetModel
import WeMeetStore
import WeMeetSync

extension Groups {
    /// Recalls one of this node's own posts (撤回, Protocol.md §10.2): within
    /// ``RecallLedger/window`` of writing it, by this node's own clock. Readers honour it under
    /// the same rule by their clocks; one that already showed it may have kept it.
    package func recallPost(_ text: String, in group: GroupID) async throws(NodeError) -> FeedPost {
        let state = try state(group)
        guard state.role(of: own) == .member else {
            throw NodeError(
                code: .notPermitted,
                message: "you are not a member of \(state.definition?.name ?? "that group"); join it first")
        }
        let entry = try await resolvePost(text, in: group)
        guard NodeID(publicKey: entry.feed.author) == own else {
            throw NodeError(code: .invalidArgument, message: "only your own posts can be recalled")
        }
        let id = entry.id.description
        if recalls.isRecalled(id) { return await view(post: entry, in: state) }
        guard recalls.withinWindow(id, at: clock.now()) else {
            throw NodeError(code: .conflict, message: "too late: a post can be recalled within 2 minutes of posting it")
        }
        let body = GroupRecord.encode(GroupRecord.Recall(id: id, seq: entry.seq))
        try await append(group, GroupRecord.ContentType.recall, try sealed(body, in: state))
        recalls.keep(id)
        return await view(post: entry, in: state)
    }

    /// A member's recall: honoured when the member wrote it while a member, and it names that
    /// member's own post at an earlier seq of the same feed (checked by ID) that arrived here
    /// within ``RecallLedger/window`` before the recall did, by this node's clock — never by
    /// the timestamps the member wrote.
    func honourRecall(_ entry: Entry) async {
        let group = GroupID(rawValue: entry.feed.audience)
        let author = NodeID(publicKey: entry.feed.author)
        guard let state = states[group] ?? nil, state.definition != nil, Self.isShown(entry, in: state, to: own),
            let plain = plaintext(of: entry, in: state),
            let recall = try? JSONDecoder().decode(GroupRecord.Recall.self, from: Data(plain)),
            recall.seq > 0, recall.seq < entry.seq,
            let target = try? await store.entries(of: entry.feedID, seqs: recall.seq...recall.seq).first,
            target.id.description == recall.id.lowercased(), target.contentType == GroupRecord.ContentType.post
        else {
            logger.info("a recall that names no post of its author is ignored", metadata: ["peer": "\(author)"])
            return
        }
        guard recalls.withinWindow(target.id.description, at: clock.now()) else {
            logger.info("a recall past the window is ignored", metadata: ["peer": "\(author)", "seq": "\(recall.seq)"])
            return
        }
        recalls.keep(target.id.description)
        events.publish(
            NodeEvent(
                type: .groupRecalled, peer: author, detail: target.id.description,
                name: await name(of: author, in: state), group: group.description))
    }
}
