import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// Path of the groups API for `group` (a name, ID or ID prefix).
func groupPath(_ group: String, _ suffix: String = "") -> String {
    "/v1/groups/" + (group.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? group) + suffix
}

/// One post as the views print it: `[12:04] Bob in Hikers: text  #1a2b3c4d`.
func line(_ post: FeedPost, showGroup: Bool = false) -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "MM-dd HH:mm"
    let place = showGroup ? (post.groupName.map { " in \($0.shown)" } ?? " (moment)") : ""
    let reply = post.reply.map { " ↳ re #\($0.prefix(8))" } ?? ""
    let text =
        post.recalled == true
        ? "(recalled)" : post.text ?? "[cannot be read here: sealed under a key this node was not given]"
    let files = (post.attachments ?? []).map { " " + $0.shown }.joined()
    let likes = post.likes.map { "\n    ♥ " + $0.map(\.shown).joined(separator: ", ") } ?? ""
    let comments = (post.comments ?? []).map { "\n    \($0.from.shown): \($0.text.shown)" }.joined()
    return quoteLine(post.quote)
        + "[\(formatter.string(from: post.sentAt))] \(post.from.shown)\(place):\(reply) \(text.shown)\(files)  #\(post.id.prefix(8))\(likes)\(comments)"
}

/// `wemeet group`: create, join, leave and manage groups.
struct Group: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Create, join, leave and manage groups.",
        subcommands: [
            GroupList.self, GroupCreate.self, GroupShow.self, GroupMembers.self, GroupInvite.self, GroupJoin.self,
            GroupLeave.self, GroupRemove.self, GroupAdmin.self, GroupRecall.self,
        ],
        defaultSubcommand: GroupList.self)
}

struct GroupList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List your groups and invitations.")
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: WeMeetModel.GroupList
        let friends: FriendList
        do {
            let client = ControlClient(home: homeOptions.nodeHome)
            list = try await client.get("/v1/groups")
            friends = try await client.get("/v1/friends")
        } catch {
            throw UserError(error)
        }
        let names = Dictionary(friends.friends.map { ($0.nodeID, $0.name) }) { first, _ in first }
        try output.emit(list) {
            guard !list.groups.isEmpty else {
                return "no groups yet — `wemeet group create NAME`, or join one from `wemeet discover`"
            }
            return list.groups.map { summaryLine($0, names: names) }.joined(separator: "\n")
        }
    }
}

/// A group on one line; `names` (friends' names by node ID) say who invited this node.
func summaryLine(_ group: GroupSummary, names: [NodeID: String] = [:]) -> String {
    var notes = [group.public ? "public" : "private", "\(group.members) member\(group.members == 1 ? "" : "s")"]
    if group.admin { notes.append("admin") }
    let inviters = group.invitedBy ?? []
    if group.role != .member && inviters.isEmpty { notes.append(group.role.rawValue) }
    if !inviters.isEmpty {
        notes.append("invited by " + inviters.map { (names[$0] ?? $0.shortForm).shown }.joined(separator: ", "))
    }
    if group.role == .invited {
        notes.append("`wemeet group join \(group.name)` to accept, `wemeet group leave \(group.name)` to decline")
    }
    if !group.readable && (group.role == .member || group.role == .invited) { notes.append("key on its way") }
    return "\(group.name)  \(group.id.prefix(8))  (\(notes.joined(separator: ", ")))"
}

struct GroupCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a group; you are its first admin.")
    @Argument(help: "The group's name.") var name: String
    @Flag(help: "Anyone may join and read it (friends see your posts there via discover).") var `public` = false
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    private struct Body: Encodable {
        var name: String
        var `public`: Bool
    }

    func run() async throws {
        let group: GroupSummary
        do {
            group = try await ControlClient(home: homeOptions.nodeHome).post(
                "/v1/groups", json: Body(name: name, public: self.public))
        } catch {
            throw UserError(error)
        }
        try output.emit(group) {
            "created \(group.public ? "public" : "private") group \(group.name) (\(group.id.prefix(8)))"
                + (group.public ? "" : "; invite friends with `wemeet group invite \(group.name) FRIEND`")
        }
    }
}

struct GroupShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a group, its members and its latest posts.")
    @Argument(help: "The group's name or ID.") var group: String
    @Option(help: "How many of the latest posts to show.") var limit = 10
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = ControlClient(home: homeOptions.nodeHome)
        var details: GroupDetails
        do {
            details = try await client.get(groupPath(group))
            if details.group.role != .none {
                details.posts = (try await client.get(groupPath(group, "/posts?limit=\(limit)")) as PostList).posts
            }
        } catch {
            throw UserError(error)
        }
        try output.emit(details) {
            var lines = [summaryLine(details.group), "members:"]
            lines += details.members.map(memberLine)
            if let posts = details.posts, !posts.isEmpty {
                lines.append("latest posts:")
                // Each post followed by its whole thread, replies to comments indented under
                // them (the indent stops growing at 6 levels; ↳ #ID still says whose reply).
                lines += PostThreads.order(posts).map {
                    String(repeating: "  ", count: min($0.depth, 6)) + line($0.post)
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}

func memberLine(_ member: GroupMember) -> String {
    let name = member.name.isEmpty ? member.nodeID.shortForm : member.name.shown
    return "  \(name)\(member.admin ? " (admin)" : "")\(member.role == .member ? "" : " — \(member.role)")"
}

struct GroupMembers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "members", abstract: "List a group's members.")
    @Argument(help: "The group's name or ID.") var group: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: MemberList
        do { list = try await ControlClient(home: homeOptions.nodeHome).get(groupPath(group, "/members")) } catch {
            throw UserError(error)
        }
        try output.emit(list) { list.members.map(memberLine).joined(separator: "\n") }
    }
}

/// A group command that posts `{"member": …}` (invite, remove, admin) or nothing (join, leave).
private func groupAction(
    _ home: NodeHome, _ group: String, _ action: String, member: String? = nil
) async throws -> Data {
    let client = ControlClient(home: home)
    do {
        if let member {
            let body = try ControlJSONBody.encode(["member": member])
            return try await client.request(.POST, groupPath(group, "/" + action), body: body)
        }
        return try await client.request(.POST, groupPath(group, "/" + action))
    } catch let error as NodeError {
        throw UserError(error)
    }
}

/// JSON request bodies for plain dictionaries.
enum ControlJSONBody {
    static func encode(_ value: [String: String]) throws -> Data {
        try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
    }
}

struct GroupInvite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite", abstract: "Invite a friend to a group (admins).")
    @Argument(help: "The group's name or ID.") var group: String
    @Argument(help: "The friend's name or node ID.") var friend: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let change = try await groupChange(homeOptions.nodeHome, group, "invite", member: friend)
        try output.emit(change) {
            "invited \(memberLabel(change, typed: friend)) to \(change.group.name.shown); "
                + "they see it when you next meet and join with `wemeet group join`"
        }
    }
}

/// The answer of a membership action, decoded.
private func groupChange(
    _ home: NodeHome, _ group: String, _ action: String, member: String? = nil
) async throws -> GroupChange {
    let data = try await groupAction(home, group, action, member: member)
    do { return try ControlJSON.decoder.decode(GroupChange.self, from: data) } catch {
        throw UserError("the node answered something unexpected: \(error)")
    }
}

/// The member a change concerns: its name and short ID, or what the user typed.
private func memberLabel(_ change: GroupChange, typed: String) -> String {
    guard let member = change.member else { return typed.shown }
    let short = member.nodeID.shortForm
    return member.name.isEmpty ? String(short) : "\(member.name.shown) (\(short))"
}

struct GroupJoin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Join a group you were invited to, or a public group from discover.")
    @Argument(help: "The group's name or ID.") var group: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let data = try await groupAction(homeOptions.nodeHome, group, "join")
        let summary = try ControlJSON.decoder.decode(GroupSummary.self, from: data)
        try output.emit(summary) { "joined \(summary.name); `wemeet chat \(summary.name)` to talk" }
    }
}

struct GroupLeave: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave", abstract: "Leave a group (or decline an invitation).",
        discussion: """
            On a terminal it asks first; --yes (or no terminal, as in a script) leaves at once. \
            To come back you need a new invitation (or, for a public group, to join again).
            """)
    @Argument(help: "The group's name or ID.") var group: String
    @Flag(name: .shortAndLong, help: "Leave without asking.") var yes = false
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        if !yes, isatty(0) == 1, isatty(2) == 1 {
            FileHandle.standardError.write(
                Data(
                    "Leave \(group.shown)? You stop receiving its posts; to come back you need a new invitation. [y/N] "
                        .utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                FileHandle.standardError.write(Data("not left\n".utf8))
                throw ExitCode(1)
            }
        }
        let change = try await groupChange(homeOptions.nodeHome, group, "leave")
        try output.emit(change) {
            "left \(change.group.name.shown); an admin moves the group to a new key without you"
        }
    }
}

struct GroupRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a member (admins); the group moves to a new key.")
    @Argument(help: "The group's name or ID.") var group: String
    @Argument(help: "The member's name or node ID.") var member: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let change = try await groupChange(homeOptions.nodeHome, group, "remove", member: member)
        try output.emit(change) {
            "removed \(memberLabel(change, typed: member)) from \(change.group.name.shown); "
                + "new posts use a key they do not have"
        }
    }
}

struct GroupAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Make a member an admin (the creator only).")
    @Argument(help: "The group's name or ID.") var group: String
    @Argument(help: "The member's name or node ID.") var member: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let change = try await groupChange(homeOptions.nodeHome, group, "admins", member: member)
        try output.emit(change) {
            "\(memberLabel(change, typed: member)) is now an admin of \(change.group.name.shown)"
        }
    }
}

/// `wemeet group recall GROUP POST`: recall (撤回) one of your posts within 2 minutes.
struct GroupRecall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall", abstract: "Recall (撤回) one of your posts, within 2 minutes of posting it.",
        discussion: """
            Members' nodes hide it when the recall reaches them within 2 minutes of the post, by \
            their own clocks; a node that already showed it may have kept it.
            """)
    @Argument(help: "The group's name or ID.") var group: String
    @Argument(help: "The post's ID (or its first 8 digits, shown after #).") var post: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let recalled: FeedPost
        do {
            recalled = try await ControlClient(home: homeOptions.nodeHome).post(
                groupPath(
                    group,
                    "/posts/" + (post.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? post) + "/recall"),
                json: [String: String]())
        } catch {
            throw UserError(error)
        }
        try output.emit(recalled) { "recalled your post #\(recalled.id.prefix(8)) in \(recalled.groupName ?? group)" }
    }
}

/// `wemeet post GROUP TEXT`: post (or comment, with `--reply`) in a group.
struct Post: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "Post in a group, or comment on a post with --reply.")
    @Argument(help: "The group's name or ID.") var group: String
    @Argument(help: "The text (words are joined with spaces).") var text: [String] = []
    @Option(help: "The post to comment on (its ID, or the first 8 digits shown after #).") var reply: String?
    @Option(help: "A post of the group to quote, answering it (its ID, or the first 8 digits).") var quote: String?
    @Option(
        name: .customLong("mention"),
        help: "Mention a member (name or node ID): they are told even if they muted the group. Repeatable.")
    var mentions: [String] = []
    @OptionGroup var files: AttachmentOptions
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    private struct Body: Encodable {
        var text: String
        var reply: String?
        var attachments: [String]
        var mentions: [String]?
        var quote: String?
    }

    func validate() throws {
        guard !text.joined().isEmpty || !files.isEmpty else { throw ValidationError("the post is empty") }
    }

    func run() async throws {
        let post: FeedPost
        do {
            let client = ControlClient(home: homeOptions.nodeHome)
            let ids = try await files.upload(client)
            post = try await client.post(
                groupPath(group, "/posts"),
                json: Body(
                    text: text.joined(separator: " "), reply: reply, attachments: ids,
                    mentions: mentions.isEmpty ? nil : mentions, quote: quote))
        } catch {
            throw UserError(error)
        }
        try output.emit(post) { "posted in \(post.groupName ?? group) (#\(post.id.prefix(8)))" }
    }
}

/// `wemeet moments`: your and your friends' moments; `wemeet moments post TEXT` adds one.
struct Moments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moments", abstract: "Read your friends' moments, or post one for all your friends.",
        subcommands: [MomentsList.self, MomentsPost.self, MomentsLike.self, MomentsComment.self],
        defaultSubcommand: MomentsList.self)
}

/// `wemeet moments like ID [--off]`.
struct MomentsLike: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "like", abstract: "Like a moment (your friends who are also the author's see it). --off unlikes.")
    @Argument(help: "The moment's ID (from `wemeet moments --json`).") var moment: String
    @Flag(name: .long, help: "Unlike instead.") var off = false
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = ControlClient(home: homeOptions.nodeHome)
        let path = "/v1/moments/\(moment.prefix(64))/like"
        let answer: MomentReacted
        do {
            answer = try ControlJSON.decoder.decode(
                MomentReacted.self, from: try await client.request(off ? .DELETE : .POST, path))
        } catch let error as NodeError {
            throw UserError(error)
        }
        try output.emit(answer) { off ? "unliked" : "liked" }
    }
}

/// `wemeet moments comment ID TEXT`.
struct MomentsComment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comment", abstract: "Comment on a moment (your friends who are also the author's see it).")
    @Argument(help: "The moment's ID (from `wemeet moments --json`).") var moment: String
    @Argument(help: "The comment (words are joined with spaces).") var text: [String]
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    private struct Body: Encodable { var text: String }

    func run() async throws {
        let answer: MomentReacted
        do {
            answer = try await ControlClient(home: homeOptions.nodeHome).post(
                "/v1/moments/\(moment.prefix(64))/comments", json: Body(text: text.joined(separator: " ")))
        } catch {
            throw UserError(error)
        }
        try output.emit(answer) { "commented" }
    }
}

struct MomentsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show moments, newest first.")
    @Option(help: "At most this many.") var limit = 50
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: PostList
        do { list = try await ControlClient(home: homeOptions.nodeHome).get("/v1/moments?limit=\(limit)") } catch {
            throw UserError(error)
        }
        try output.emit(list) {
            list.posts.isEmpty
                ? "no moments yet — `wemeet moments post TEXT` shares one with all your friends"
                : list.posts.map { line($0) }.joined(separator: "\n")
        }
    }
}

struct MomentsPost: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "Post a moment: every friend gets it when you next meet.")
    @Argument(help: "The text (words are joined with spaces).") var text: [String] = []
    @OptionGroup var files: AttachmentOptions
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !text.joined().isEmpty || !files.isEmpty else { throw ValidationError("the moment is empty") }
    }

    func run() async throws {
        let post: FeedPost
        do {
            let client = ControlClient(home: homeOptions.nodeHome)
            let ids = try await files.upload(client)
            post = try await client.post(
                "/v1/moments", json: AttachmentOptions.Body(text: text.joined(separator: " "), attachments: ids))
        } catch {
            throw UserError(error)
        }
        try output.emit(post) { "posted a moment for your friends (#\(post.id.prefix(8)))" }
    }
}

/// `wemeet discover`: friends' posts in public groups you are not in.
struct Discover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover", abstract: "Browse friends' posts in public groups; join with `wemeet group join`.")
    @Option(help: "At most this many.") var limit = 50
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: PostList
        do { list = try await ControlClient(home: homeOptions.nodeHome).get("/v1/discover?limit=\(limit)") } catch {
            throw UserError(error)
        }
        try output.emit(list) {
            guard !list.posts.isEmpty else { return "nothing to discover yet: no friend has posted in a public group" }
            return list.posts.map { line($0, showGroup: true) }.joined(separator: "\n")
                + "\n— join a group with `wemeet group join NAME`"
        }
    }
}

/// `wemeet feed`: moments and group posts in one timeline.
struct Feed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed", abstract: "One timeline: friends' moments and your groups' posts, newest first.")
    @Option(help: "At most this many.") var limit = 50
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: PostList
        do { list = try await ControlClient(home: homeOptions.nodeHome).get("/v1/feed?limit=\(limit)") } catch {
            throw UserError(error)
        }
        try output.emit(list) {
            list.posts.isEmpty
                ? "your feed is empty" : list.posts.map { line($0, showGroup: true) }.joined(separator: "\n")
        }
    }
}

/// `wemeet settings`: show or change settings.
struct Settings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show or change privacy, storage and attachment settings.",
        subcommands: [
            SettingsShow.self, HidePublicPosts.self, TypingIndicators.self, Relay.self, RelayMine.self, SetQuota.self,
            AutomaticSize.self,
        ],
        defaultSubcommand: SettingsShow.self)
}

extension SettingsValues {
    /// The settings as lines of text.
    var text: String {
        var lines = [
            "hide-public-posts: \(hidePublicPosts == true ? "on" : "off")",
            "typing-indicators: \(typingIndicators == false ? "off" : "on")",
            "relay: \(relayForFriends == false ? "off" : "on")",
            "relay-mine: \(friendsRelayMine == false ? "off" : "on")",
        ]
        if let bytes = automaticAttachmentBytes { lines.append("automatic-size: \(QuotaText.bytes(bytes))") }
        for name in QuotaLimits.names {
            guard let value = quotas?[name] else { continue }
            lines.append("quota \(name): \(QuotaText.amount(value, of: name))")
        }
        return lines.joined(separator: "\n")
    }
}

/// Quota values as people read and write them.
enum QuotaText {
    /// `1 MiB` for a `*_bytes` quota, `1000 feeds` for a `*_feeds` one.
    static func amount(_ value: UInt64, of name: String) -> String {
        name.hasSuffix("_bytes") ? bytes(value) : "\(value) feeds"
    }

    /// `1 MiB`, `8 GiB`, `1.5 KiB`, `12 bytes`.
    static func bytes(_ value: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where value >= size {
            let amount = Double(value) / Double(size)
            return amount == amount.rounded() ? "\(Int(amount)) \(unit)" : String(format: "%.1f %@", amount, unit)
        }
        return "\(value) bytes"
    }

    /// Parses `500`, `64KiB`, `1 MiB`, `2GiB` (also KB/MB/GB as powers of 1024).
    static func parse(_ text: String) -> UInt64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, UInt64)] = [
            ("TIB", 1 << 40), ("GIB", 1 << 30), ("MIB", 1 << 20), ("KIB", 1 << 10), ("TB", 1 << 40), ("GB", 1 << 30),
            ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1),
        ]
        for (suffix, size) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = UInt64(number) else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: size)
            return overflow ? nil : product
        }
        return UInt64(trimmed)
    }
}

struct SettingsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the settings.")
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let values: SettingsValues
        do { values = try await ControlClient(home: homeOptions.nodeHome).get("/v1/settings") } catch {
            throw UserError(error)
        }
        try output.emit(values) { values.text }
    }
}

struct HidePublicPosts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hide-public-posts",
        abstract: "Hide your public-group posts from friends outside those groups.",
        discussion: """
            When on, your posts in public groups are served only to those groups' members, never \
            to friends outside them (their discover view). It applies to posts not yet delivered: \
            what friends already received stays with them.
            """)
    @Argument(help: "on or off.") var state: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try validateOnOff(state) }

    func run() async throws {
        let values = try await homeOptions.changeSettings(SettingsValues(hidePublicPosts: state == "on"))
        try output.emit(values) {
            values.hidePublicPosts == true
                ? "hide-public-posts: on — friends outside a public group no longer get your new posts there (what they already have stays with them)"
                : "hide-public-posts: off — friends see your public-group posts in discover"
        }
    }
}

/// `wemeet settings typing-indicators on|off`: send and show "typing…", or neither.
struct TypingIndicators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "typing-indicators",
        abstract: "Send and show \"typing…\" in chats with friends, or neither.",
        discussion: """
            On (the default), friends see "typing…" while you write to them in the web app, and \
            you see theirs. Off, your node sends none and shows none. Nothing of it is stored.
            """)
    @Argument(help: "on or off.") var state: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try validateOnOff(state) }

    func run() async throws {
        let values = try await homeOptions.changeSettings(SettingsValues(typingIndicators: state == "on"))
        try output.emit(values) {
            values.typingIndicators == false
                ? "typing-indicators: off — friends no longer see you typing, and you don't see them"
                : "typing-indicators: on — friends see \"typing…\" while you write to them, and you see theirs"
        }
    }
}

/// `wemeet settings relay on|off`: hold and pass on mail between friends, or not.
struct Relay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay", abstract: "Carry messages between your friends while one of them is away, or not.",
        discussion: """
            On (the default), when a friend writes to another friend of yours who is away, your \
            node keeps the sealed messages (it cannot read them) and gives them to the reader \
            when you meet. At most 64 MiB per author and 1 GiB in all, for 7 days; dropped once \
            delivered. Off drops everything held at once.
            """)
    @Argument(help: "on or off.") var state: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try validateOnOff(state) }

    func run() async throws {
        let values = try await homeOptions.changeSettings(SettingsValues(relayForFriends: state == "on"))
        try output.emit(values) {
            values.relayForFriends == false
                ? "relay: off — your node carries no messages between friends, and dropped what it held"
                : "relay: on — your node carries friends' sealed messages to friends who were away"
        }
    }
}

/// `wemeet settings relay-mine on|off`: let friends carry this node's messages, or not.
struct RelayMine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay-mine", abstract: "Let mutual friends carry your messages to friends who are away, or not.",
        discussion: """
            On (the default), a message to a friend who is away is also given, sealed, to your \
            mutual friends who relay, so it arrives when either of you meets them. They learn \
            that you wrote, to whom, when and how much — never what.
            """)
    @Argument(help: "on or off.") var state: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try validateOnOff(state) }

    func run() async throws {
        let values = try await homeOptions.changeSettings(SettingsValues(friendsRelayMine: state == "on"))
        try output.emit(values) {
            values.friendsRelayMine == false
                ? "relay-mine: off — your messages wait until you and the reader are online together"
                : "relay-mine: on — mutual friends may carry your sealed messages to friends who are away"
        }
    }
}

/// `wemeet settings quota NAME VALUE`: how much other nodes may make this node store.
struct SetQuota: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota", abstract: "Set a storage quota (how much other nodes may make this node store).",
        discussion: """
            Every entry a friend or fellow member sends counts against its author's quotas and \
            the totals; past one, the node refuses more (and tells you in `wemeet status`), \
            and never drops what it already stored. Quotas: \(QuotaLimits.names.joined(separator: ", ")). \
            Sizes take KiB, MiB, GiB (e.g. 2GiB); feeds are a count.
            """)
    @Argument(help: "The quota's name.") var name: String
    @Argument(help: "Its new value: bytes (with KiB, MiB, GiB) or a number of feeds.") var value: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard QuotaLimits.names.contains(name) else {
            throw ValidationError(
                "no quota called \(name); the quotas are \(QuotaLimits.names.joined(separator: ", "))")
        }
        guard QuotaText.parse(value) != nil else {
            throw ValidationError("\(value) is not a size (e.g. 512MiB, 2GiB) or a count")
        }
    }

    func run() async throws {
        let values = try await homeOptions.changeSettings(SettingsValues(quotas: [name: QuotaText.parse(value) ?? 0]))
        try output.emit(values) { "quota \(name): \(QuotaText.amount(values.quotas?[name] ?? 0, of: name))" }
    }
}
