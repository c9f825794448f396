import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// Paths of the messages API for `friend` (a name or node ID).
private func messagesPath(_ friend: String, _ suffix: String = "") -> String {
    "/v1/messages/" + (friend.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? friend) + suffix
}

/// The line a reply's quote shows above it, as this node holds the quoted message or post:
/// `  > Bob: the text [1 attachment(s)]`, or that it is not available; empty without a quote.
func quoteLine(_ quote: QuotedMessage?) -> String {
    guard let quote else { return "" }
    guard quote.available else { return "  > (quoted message not available)\n" }
    let quoted = String((quote.text ?? "").prefix(60))
    let files = (quote.attachments ?? 0) > 0 ? " [\(quote.attachments ?? 0) attachment(s)]" : ""
    return "  > \((quote.from ?? "").shown): \(quoted.shown)\(files)\n"
}

/// One line of a conversation: `[12:04] Bob: hi` (outgoing ones carry their status).
private func line(_ message: DirectMessage) -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "HH:mm"
    // Who holds a message for a friend who is away, or who brought one (Protocol.md §8.5).
    let held = message.heldBy.map { ", held by " + $0.map(\.shown).joined(separator: " and ") } ?? ""
    let outgoing = message.direction == .outgoing
    let deliveredVia = outgoing ? message.via.map { ", delivered via " + $0.shown } ?? "" : ""
    let via = outgoing ? "" : message.via.map { "  (via \($0.shown))" } ?? ""
    let status = (message.status.map { "  (\($0)\(held)\(deliveredVia))" } ?? "") + via
    let files = (message.attachments ?? []).map { " " + $0.shown }.joined()
    let text = message.recalled == true ? " (recalled)" : message.text.isEmpty ? "" : " " + message.text.shown
    // A reply shows what it quotes first, as this node holds it.
    let quote = quoteLine(message.quote)
    return "\(quote)[\(formatter.string(from: message.sentAt))] \(message.from.shown):\(text)\(files)\(status)"
}

/// `wemeet send FRIEND TEXT`: send a direct message.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a direct message to a friend (delivered now, or when you next meet).")

    @Argument(help: "The friend's name or node ID.") var friend: String
    @Argument(help: "The message (words are joined with spaces).") var text: [String] = []
    @Option(
        help: ArgumentHelp(
            "Reply quoting this message of the conversation (its ID, from `wemeet messages --json`).",
            valueName: "message-id"))
    var quote: String?
    @OptionGroup var files: AttachmentOptions
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !text.joined().isEmpty || !files.isEmpty else { throw ValidationError("the message is empty") }
    }

    func run() async throws {
        let sent: DirectMessage
        do {
            let client = ControlClient(home: homeOptions.nodeHome)
            let ids = try await files.upload(client)
            sent = try await client.post(
                messagesPath(friend),
                json: AttachmentOptions.Body(text: text.joined(separator: " "), attachments: ids, quote: quote))
        } catch {
            throw UserError(error)
        }
        try output.emit(sent) {
            sent.friendOnline == true
                ? "sent to \(friend.shown) (online: on its way now; `wemeet messages \(friend.shown)` shows when it is delivered and read)"
                : "sent to \(friend.shown) (stored; \(friend.shown) is offline: delivered when you next meet)"
        }
    }
}

/// `wemeet recall FRIEND MESSAGE-ID`: take back one's own message (撤回) within 2 minutes.
struct Recall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract:
            "Recall one of your messages within 2 minutes of sending it (your friend's node hides it; one that already showed it may have kept it)."
    )

    @Argument(help: "The friend's name, remark or node ID.") var friend: String
    @Argument(help: ArgumentHelp("The message's ID (from `wemeet messages --json`).", valueName: "message-id"))
    var message: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    private struct Body: Encodable { var message: String }

    func run() async throws {
        let recalled: DirectMessage
        do {
            recalled = try await ControlClient(home: homeOptions.nodeHome).post(
                messagesPath(friend, "/recall"), json: Body(message: message))
        } catch {
            throw UserError(error)
        }
        try output.emit(recalled) {
            "recalled your message to \(friend.shown) (a node that already showed it may have kept it)"
        }
    }
}

/// `wemeet messages FRIEND`: the conversation so far.
struct Messages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages", abstract: "Show a conversation with a friend (marks it read).")

    @Argument(help: "The friend's name or node ID.") var friend: String
    @Option(help: "Only messages sent after this time by their senders' clocks (ISO 8601, e.g. 2026-11-22T08:00:00Z).")
    var since: String?
    @Option(
        help: ArgumentHelp(
            "Only messages that arrived after this one (a message ID from --json): the way to follow a conversation, since no sender's clock can hide a message from it.",
            valueName: "message-id"))
    var after: String?
    @Option(help: "At most this many of the latest messages.") var limit: Int?
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let since, APITime.date(from: since) == nil {
            throw ValidationError("--since must be an ISO 8601 time such as 2026-11-22T08:00:00Z")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let after, after.count != 64 || !after.allSatisfy(\.isHexDigit) {
            throw ValidationError("--after takes a message ID: 64 hex digits, as `--json` shows them")
        }
    }

    func run() async throws {
        var query: [String] = []
        if let after { query.append("after=\(after)") }
        if let since { query.append("since=" + since.replacingOccurrences(of: "+", with: "%2B")) }
        if let limit { query.append("limit=\(limit)") }
        let client = ControlClient(home: homeOptions.nodeHome)
        let list: MessageList
        do {
            list = try await client.get(
                messagesPath(friend) + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
            _ = try await client.request(.POST, messagesPath(friend, "/read"))
        } catch {
            throw UserError(error)
        }
        try output.emit(list) {
            list.messages.isEmpty ? "no messages with \(friend) yet" : list.messages.map(line).joined(separator: "\n")
        }
    }
}

/// `wemeet inbox`: conversations, most recent first, with unread counts.
struct Inbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "List conversations with unread counts.")

    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: ConversationList
        do { list = try await ControlClient(home: homeOptions.nodeHome).get("/v1/inbox") } catch {
            throw UserError(error)
        }
        try output.emit(list) {
            guard !list.conversations.isEmpty else { return "no friends yet — press `wemeet pair` with someone" }
            return list.conversations.map { conversation in
                let unread = conversation.unread > 0 ? " (\(conversation.unread) unread)" : ""
                let last =
                    conversation.last.map { ": \($0.from.shown): \(String($0.text.prefix(60)).shown)" }
                    ?? ": no messages yet"
                let name =
                    conversation.remark.map { "\($0.shown) (\(conversation.name.shown))" } ?? conversation.name.shown
                let marks =
                    (conversation.pinned == true ? " [pinned]" : "") + (conversation.muted == true ? " [muted]" : "")
                return "\(name)\(marks)\(unread)\(last)"
            }.joined(separator: "\n")
        }
    }
}

/// The last message `wemeet chat` showed, so each arrival fetches only what is newer.
private actor ChatCursor {
    private var last: String?

    init(last: String?) { self.last = last }

    /// The messages after the last one shown (nil if they cannot be had).
    func newer(_ friend: String, client: ControlClient) async -> [DirectMessage]? {
        let query = last.map { "?after=" + $0 } ?? "?limit=20"
        guard let list: MessageList = try? await client.get(messagesPath(friend) + query) else { return nil }
        if let newest = list.messages.last?.id { last = newest }
        return list.messages
    }
}

/// `wemeet chat FRIEND`: the conversation, then live — incoming messages as they arrive,
/// typed lines sent. Works in a terminal and with stdin from a pipe (each line is sent;
/// end of input ends the chat).
struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a friend or a group: history, then live messages; type lines to send.")

    @Argument(help: "A friend's name or node ID, or a group's name or ID.") var friend: String
    @Option(help: "How many earlier messages to show first.") var history = 20
    @OptionGroup var homeOptions: HomeOptions

    func run() async throws {
        let client = ControlClient(home: homeOptions.nodeHome)
        if try await !Self.isFriend(friend, client: client) {
            // Not a friend: a group's conversation, if there is such a group.
            let group: GroupSummary
            do {
                group = (try await client.get(groupPath(friend)) as GroupDetails).group
            } catch {
                throw UserError("no friend or group called \(friend) (see `wemeet friends` and `wemeet group list`)")
            }
            try await GroupChat(group: group, history: history, client: client).run()
            return
        }
        let earlier: MessageList
        do {
            earlier = try await client.get(messagesPath(friend) + "?limit=\(max(history, 1))")
            _ = try await client.request(.POST, messagesPath(friend, "/read"))
        } catch {
            throw UserError(error)
        }
        let friendID = try await Self.friendID(friend, client: client)
        for message in earlier.messages { show(line(message)) }
        if isatty(0) == 1 { show("— chatting with \(friend); type a message and press return, Ctrl-D to leave —") }

        let lines = StandardInput.lines()
        let friendName = friend
        let cursor = ChatCursor(last: earlier.messages.last?.id)
        let follower = Task {
            try? await client.followEvents(subscribed: {
                // Without a terminal (a script drives it), say when arrivals start to show.
                if isatty(0) != 1 { notice("wemeet: following \(friendName) live") }
            }) { event in
                guard event.peer == friendID else { return true }
                switch event.type {
                case .dmReceived:
                    // The whole messages since the last one shown, photos and files included
                    // (the event carries only the text).
                    if let newer = await cursor.newer(friendName, client: client) {
                        for message in newer where message.direction == .incoming { show(line(message)) }
                    } else {
                        show("[now] \((event.name ?? friendName).shown): \((event.detail ?? "").shown)")
                    }
                    _ = try? await client.request(.POST, messagesPath(friendName, "/read"))
                case .syncProgress:
                    FileHandle.standardError.write(Data("\rcatching up with \(friendName): \(event.detail ?? "")".utf8))
                case .syncCaughtUp:
                    FileHandle.standardError.write(Data("\rcaught up with \(friendName)            \n".utf8))
                default:
                    break
                }
                return true
            }
        }
        defer { follower.cancel() }
        for await text in lines where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let _: DirectMessage = try await client.post(messagesPath(friend), json: ["text": text])
            } catch {
                notice("wemeet: not sent: \(error.message)")
            }
        }
    }

    static func isFriend(_ text: String, client: ControlClient) async throws -> Bool {
        try await Self.friend(text, client: client) != nil
    }

    /// The friend's node ID, so events can be matched.
    static func friendID(_ friend: String, client: ControlClient) async throws -> NodeID? {
        try await Self.friend(friend, client: client)?.nodeID ?? (try? NodeID(friend))
    }

    /// The friend that `text` names (a node ID or a name), as the node resolves it.
    static func friend(_ text: String, client: ControlClient) async throws -> Friend? {
        let list: FriendList
        do { list = try await client.get("/v1/friends") } catch { throw UserError(error) }
        return list.friends.first { $0.matches(text) }
    }
}
