import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// `wemeet chat GROUP`: a group's posts as a conversation — the latest ones, then new posts
/// as they arrive; each typed (or piped) line is posted.
struct GroupChat {
    let group: GroupSummary
    let history: Int
    let client: ControlClient

    private var path: String { groupPath(group.id, "/posts") }

    func run() async throws {
        let earlier: PostList
        do { earlier = try await client.get(path + "?limit=\(max(history, 1))") } catch { throw UserError(error) }
        for post in earlier.posts { show(line(post)) }
        if isatty(0) == 1 {
            show(
                "— chatting in \(group.name.shown) (\(group.members) members); type a post and press return, Ctrl-D to leave —"
            )
        }
        let lines = StandardInput.lines()
        let groupID = group.id
        let client = client
        let follower = Task {
            try? await client.followEvents { event in
                guard event.group == groupID else { return true }
                switch event.type {
                case .groupPost:
                    show("[now] \((event.name ?? "?").shown): \(event.detail?.shown ?? "[cannot be read here]")")
                case .groupRemoved:
                    show("— you were removed from \(event.detail?.shown ?? "the group") —")
                default:
                    break
                }
                return true
            }
        }
        defer { follower.cancel() }
        for await text in lines where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let _: FeedPost = try await client.post(path, json: ["text": text])
            } catch {
                notice("wemeet: not posted: \(error.message)")
            }
        }
    }
}
