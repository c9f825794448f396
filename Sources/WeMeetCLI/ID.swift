import ArgumentParser
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// `wemeet id`: prints this node's ID.
struct ID: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "id", abstract: "Print this node's ID (give it to friends, paste it anywhere).")

    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    struct Result: Encodable {
        var nodeID: String
        var name: String
        var publicKey: String
    }

    func run() async throws {
        let identity = try userFacing { try NodeIdentity.load(from: homeOptions.nodeHome) }
        let result = Result(
            nodeID: identity.nodeID.description, name: identity.name,
            publicKey: Hex.encode(identity.privateKey.publicKey.rawRepresentation))
        try output.emit(result) { result.nodeID }
    }
}

/// `wemeet name [NEW]`: prints this node's display name, or changes it — through the node
/// when it runs (friends see the new name when they next connect), else in the home.
struct Name: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "name", abstract: "Print your display name, or change it (friends see it when they next connect).")

    @Argument(help: "The new name (words are joined with spaces).") var words: [String] = []
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let home = homeOptions.nodeHome
        guard !words.isEmpty else {
            let identity = try userFacing { try NodeIdentity.load(from: home) }
            let result = NodeProfile(name: identity.name)
            try output.emit(result) { result.name.shown }
            return
        }
        let wanted = words.joined(separator: " ")
        let result: NodeProfile
        let client = ControlClient(home: home)
        do {
            result = try await client.put("/v1/profile", json: NodeProfile(name: wanted))
        } catch let error where error.code == .notRunning {
            // No node running: the profile alone.
            result = NodeProfile(name: try userFacing { try NodeIdentity.rename(in: home, to: wanted) })
        } catch {
            throw UserError(error)
        }
        try output.emit(result) { "your name is now \(result.name.shown)" }
    }
}
