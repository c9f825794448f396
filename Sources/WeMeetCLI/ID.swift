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
