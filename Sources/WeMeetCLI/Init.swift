import ArgumentParser
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// `wemeet init --name NAME`: creates this node's identity.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create this node's identity (an Ed25519 key) and display name.",
        discussion: "Refuses to overwrite an existing identity.")

    @Option(name: .long, help: "The name people see on the radar (1-48 bytes).")
    var name: String

    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    struct Result: Encodable {
        var name: String
        var nodeID: String
        var home: String
    }

    func run() async throws {
        let home = homeOptions.nodeHome
        let identity = try userFacing { try NodeIdentity.create(in: home, name: name) }
        let result = Result(name: identity.name, nodeID: identity.nodeID.description, home: home.path)
        try output.emit(result) {
            """
            Created the identity of \(result.name).
            Node ID: \(result.nodeID)
            Home:    \(result.home)
            Next: `wemeet node` to start the node.
            """
        }
    }
}
