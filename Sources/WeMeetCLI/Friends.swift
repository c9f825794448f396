import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// `wemeet friends`: the people you paired with.
struct Friends: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "friends", abstract: "List your friends.")

    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: FriendList
        do { list = try await ControlClient(home: homeOptions.nodeHome).get("/v1/friends") } catch {
            throw UserError(error)
        }
        try output.emit(list) {
            guard !list.friends.isEmpty else { return "no friends yet — press `wemeet pair` together with someone" }
            // A remark first, the friend's own name after it: "Bobby (Bob)".
            let shown = list.friends.map { friend in
                friend.remark.map { "\($0.shown) (\(friend.name.shown))" } ?? friend.name.shown
            }
            let width = shown.map(\.count).max() ?? 0
            return zip(shown, list.friends).map { name, friend in
                let marks = [friend.pinned == true ? "pinned" : nil, friend.muted == true ? "muted" : nil]
                    .compactMap { $0 }.map { "  \($0)" }.joined()
                return
                    "\(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(friend.nodeID)  code \(friend.code)\(marks)"
            }.joined(separator: "\n")
        }
    }
}

/// `wemeet unpair FRIEND`: stop being friends.
struct Unpair: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpair", abstract: "Stop being friends with someone (they are told when you next meet).")

    @Argument(help: "The friend's name or node ID.") var friend: String
    @OptionGroup var homeOptions: HomeOptions

    func run() async throws {
        let path = "/v1/friends/" + (friend.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? friend)
        do {
            _ = try await ControlClient(home: homeOptions.nodeHome).request(.DELETE, path)
        } catch {
            throw UserError(error)
        }
        show("unpaired \(friend)")
    }
}

/// `wemeet block NODEID`: refuse a node for good.
struct Block: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block", abstract: "Block a node by its ID: no connections either way.")

    @Argument(help: "The node ID to block.") var nodeID: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let answer: NodeBlocked
        do {
            answer = try await ControlClient(home: homeOptions.nodeHome).post(
                "/v1/blocked", json: ["choice": nodeID])
        } catch {
            throw UserError(error)
        }
        try output.emit(answer) { "blocked \(answer.blocked)" }
    }
}
