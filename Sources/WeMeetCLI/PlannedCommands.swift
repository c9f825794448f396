import ArgumentParser

// Command groups the later issues fill in. Each moves to its own file when it is built.

/// `wemeet pair`: press pair at the same time as a friend to become friends.
struct Pair: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair", abstract: "Press pair at the same time as a friend to become friends.")
    static let feature = "pairing"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet friends`: list your friends.
struct Friends: PlannedCommand {
    static let configuration = CommandConfiguration(commandName: "friends", abstract: "List your friends.")
    static let feature = "friends"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet unpair`: stop being friends with someone.
struct Unpair: PlannedCommand {
    static let configuration = CommandConfiguration(commandName: "unpair", abstract: "Stop being friends with someone.")
    static let feature = "unpairing"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

/// `wemeet block`: block a node by its ID.
struct Block: PlannedCommand {
    static let configuration = CommandConfiguration(commandName: "block", abstract: "Block a node by its ID.")
    static let feature = "blocking"
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

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
