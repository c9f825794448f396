import ArgumentParser

// Command groups the later issues fill in. Each moves to its own file when it is built.

/// `wemeet send`: send a direct message to a friend.
struct Send: PlannedCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a direct message to a friend.")
    static let feature = "direct messages"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet chat`: chat with a friend or a group interactively.
struct Chat: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Chat with a friend or a group interactively.")
    static let feature = "chat"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet messages`: show the messages of a conversation.
struct Messages: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages", abstract: "Show the messages of a conversation.")
    static let feature = "message history"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet inbox`: list conversations with unread counts.
struct Inbox: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "List conversations with unread counts.")
    static let feature = "the inbox"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet group`: create, join, leave and manage groups.
struct Group: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Create, join, leave and manage groups.")
    static let feature = "groups"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet post`: post to a group.
struct Post: PlannedCommand {
    static let configuration = CommandConfiguration(commandName: "post", abstract: "Post to a group.")
    static let feature = "group posts"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet moments`: post to and read your friends' feed.
struct Moments: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "moments", abstract: "Post to and read your friends' feed.")
    static let feature = "moments"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet discover`: browse friends' posts in public groups.
struct Discover: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover", abstract: "Browse friends' posts in public groups.")
    static let feature = "discover"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet feed`: one timeline of everything you may see.
struct Feed: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed", abstract: "One timeline of everything you may see.")
    static let feature = "the feed"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet settings`: change privacy and other settings.
struct Settings: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Change privacy and other settings.")
    static let feature = "settings"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}
