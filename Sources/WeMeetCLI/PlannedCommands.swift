import ArgumentParser

// Command groups the later issues fill in. Each moves to its own file when it is built.

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
