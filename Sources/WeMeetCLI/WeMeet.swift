/// WeMeetCLI — the `wemeet` command: a daemon (`wemeet node`) plus thin client commands.
///
/// Each command is a small `AsyncParsableCommand`; user errors are one line on stderr and a
/// non-zero exit code, never a stack trace.

import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

@main
struct WeMeet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wemeet",
        abstract: "A peer-to-peer messenger for the local network: no server, just nodes.",
        discussion: """
            Start with `wemeet init --name NAME`, then `wemeet node`. Every command takes \
            --home DIR (default $WEMEET_HOME, else ~/.local/share/wemeet) and most take --json.
            """,
        version: WeMeetVersion.software,
        groupedSubcommands: [
            CommandGroup(name: "Identity", subcommands: [Init.self, ID.self, Name.self]),
            CommandGroup(name: "Node", subcommands: [Node.self, Status.self, Radar.self, Open.self]),
            CommandGroup(
                name: "Friends", subcommands: [Pair.self, Friends.self, Remark.self, Unpair.self, Block.self]),
            CommandGroup(
                name: "Messages",
                subcommands: [
                    Send.self, Chat.self, Messages.self, Recall.self, Inbox.self, Mute.self, Pin.self, Attachments.self,
                    AttachmentCommand.self,
                ]),
            CommandGroup(
                name: "Groups and feeds",
                subcommands: [Group.self, Post.self, Moments.self, Discover.self, Feed.self, Settings.self]),
            CommandGroup(name: "Store", subcommands: [Store.self, Export.self]),
        ]
    )

    /// Runs the command, turning known errors into one readable line and an exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as UserError {
            notice("wemeet: \(error.message)")
            Foundation.exit(error.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}
