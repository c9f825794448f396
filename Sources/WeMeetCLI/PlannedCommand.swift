import ArgumentParser

/// A command group that is designed but not built yet: it parses anything and exits with a
/// one-line message saying so, so `wemeet --help` shows the whole product from day one.
protocol PlannedCommand: AsyncParsableCommand {
    /// What the command will do, for the message.
    static var feature: String { get }
    var arguments: [String] { get }
}

extension PlannedCommand {
    func run() async throws {
        let name = Self.configuration.commandName ?? "command"
        throw UserError("`wemeet \(name)` (\(Self.feature)) is not available in this build yet", exitCode: 2)
    }
}
