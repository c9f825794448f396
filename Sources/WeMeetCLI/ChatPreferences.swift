import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetModel

/// Which chat a preference command is about: a friend (by name, remark or node ID), or a group.
struct ChatTarget: ParsableArguments {
    @Argument(help: "The friend (name, remark or node ID), or with --group the group (name or ID).")
    var chat: String
    @Flag(name: .long, help: "The chat is a group.") var group = false

    /// Sends `change`; the chat's preference as it is now.
    func put(_ change: ChatPreferenceChange, home: HomeOptions) async throws -> ChatPreference {
        try await Self.put(change, chat: chat, group: group, home: home)
    }

    /// Sends `change` for `chat` (a group when `group`) to the control API.
    static func put(
        _ change: ChatPreferenceChange, chat: String, group: Bool, home: HomeOptions
    ) async throws
        -> ChatPreference
    {
        let escaped = chat.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? chat
        let path = group ? "/v1/groups/\(escaped)/preferences" : "/v1/friends/\(escaped)/preferences"
        do { return try await ControlClient(home: home.nodeHome).put(path, json: change) } catch {
            throw UserError(error)
        }
    }
}

/// `wemeet remark FRIEND [TEXT]`: your own name for a friend, on this node only.
struct Remark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remark",
        abstract: "Give a friend your own name for them (a remark, on this node only); without TEXT, remove it.")

    @Argument(help: "The friend's name, remark or node ID.") var friend: String
    @Argument(help: "The remark (at most 64 characters).") var text: String?
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let preference = try await ChatTarget.put(
            ChatPreferenceChange(remark: text ?? ""), chat: friend, group: false, home: homeOptions)
        try output.emit(preference) {
            preference.remark.map { "\(friend.shown) is \($0.shown) to you now (only on this node)" }
                ?? "\(friend.shown) has no remark now"
        }
    }
}

/// `wemeet mute CHAT [--off]`: no notifications for a chat.
struct Mute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mute", abstract: "Mute a chat (no notifications; mentions still notify). --off unmutes.")

    @OptionGroup var target: ChatTarget
    @Flag(name: .long, help: "Unmute instead.") var off = false
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let preference = try await target.put(ChatPreferenceChange(muted: !off), home: homeOptions)
        try output.emit(preference) { "\(target.chat.shown) is \(preference.muted ? "muted" : "not muted")" }
    }
}

/// `wemeet pin CHAT [--off]`: list a chat first.
struct Pin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin", abstract: "Pin a chat to the top of the inbox or group list. --off unpins.")

    @OptionGroup var target: ChatTarget
    @Flag(name: .long, help: "Unpin instead.") var off = false
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let preference = try await target.put(ChatPreferenceChange(pinned: !off), home: homeOptions)
        try output.emit(preference) { "\(target.chat.shown) is \(preference.pinned ? "pinned" : "not pinned")" }
    }
}
