/// Comments on comments, as a reader follows them (API.md, "Groups"): each post followed by
/// its whole thread, depth first, replies in the order they are listed. Iterative, with an
/// explicit stack: a chain of 10,000 replies to replies costs memory in proportion, never
/// the call stack.
public enum PostThreads {
    /// `posts` in reading order, each with its depth: 0 for a post, 1 for a comment on it, 2
    /// for a reply to that comment… A comment whose post is not among `posts` (on an earlier
    /// page, or unknown here) starts a thread of its own, at depth 0.
    public static func order(_ posts: [FeedPost]) -> [(post: FeedPost, depth: Int)] {
        var index: [String: Int] = [:]
        for (i, post) in posts.enumerated() where index[post.id] == nil { index[post.id] = i }
        var children: [Int: [Int]] = [:]
        var roots: [Int] = []
        for (i, post) in posts.enumerated() {
            if let parent = post.reply.flatMap({ index[$0] }), parent != i {
                children[parent, default: []].append(i)
            } else {
                roots.append(i)
            }
        }
        var out: [(post: FeedPost, depth: Int)] = []
        out.reserveCapacity(posts.count)
        var visited = [Bool](repeating: false, count: posts.count)
        // Roots in order, then anything a cycle kept out of reach (entry IDs are hashes, so
        // a cycle cannot be signed; a list built by hand could still hold one).
        for root in roots + Array(posts.indices) where !visited[root] {
            var stack = [(root, 0)]
            while let (i, depth) = stack.popLast() {
                guard !visited[i] else { continue }
                visited[i] = true
                out.append((posts[i], depth))
                for child in (children[i] ?? []).reversed() where !visited[child] { stack.append((child, depth + 1)) }
            }
        }
        return out
    }

    /// `posts` with ``FeedPost/depth`` and ``FeedPost/thread`` set, in the order given.
    public static func annotate(_ posts: [FeedPost]) -> [FeedPost] {
        var depth: [String: Int] = [:]
        var thread: [String: String] = [:]
        var root = ""
        for (post, level) in order(posts) {
            if level == 0 { root = post.id }
            depth[post.id] = level
            thread[post.id] = root
        }
        return posts.map { post in
            var post = post
            post.depth = depth[post.id]
            post.thread = thread[post.id]
            return post
        }
    }
}
