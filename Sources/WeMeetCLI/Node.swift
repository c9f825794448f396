import ArgumentParser
import Logging
import ServiceLifecycle
import WeMeetChannel
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode
import WeMeetWeb

/// `wemeet node`: runs the node in the foreground until SIGINT or SIGTERM.
struct Node: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Run the node daemon in the foreground (Ctrl-C stops it cleanly).")

    @Option(help: ArgumentHelp("Where to accept peers, HOST:PORT (port 0: any free port).", valueName: "host:port"))
    var listen = "0.0.0.0:\(ChannelConfiguration.defaultPort)"

    @Option(
        name: .customLong("peer"),
        help: ArgumentHelp("A peer to dial and keep connected (repeatable).", valueName: "host:port"))
    var peers: [String] = []

    @Flag(name: .customLong("no-mdns"), help: "Do not use local discovery (static --peer addresses only).")
    var noMDNS = false

    @Option(
        help: ArgumentHelp(
            "Where to serve the web app (`wemeet open` logs a browser in). Beyond loopback (--web 0.0.0.0:7790) it is HTTPS with this node's own certificate, for phones on the LAN: `wemeet open --lan`.",
            valueName: "host:port"))
    var web: String?

    @Flag(name: .customLong("no-web"), help: "Do not serve the web app.")
    var noWeb = false

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @OptionGroup var homeOptions: HomeOptions

    func validate() throws {
        if noWeb && web != nil { throw ValidationError("--web and --no-web contradict each other") }
    }

    /// The web app's configuration: the default, or `--web`, or none.
    func webConfiguration() throws -> WebConfiguration? {
        guard !noWeb else { return nil }
        guard let web else { return WebConfiguration() }
        let address = try userFacing { try PeerAddress(parsing: web, defaultPort: WebConfiguration.defaultPort) }
        return WebConfiguration(host: address.host, port: address.port, fallBackToAnyPort: false)
    }

    func run() async throws {
        let webConfiguration = try webConfiguration()
        var configuration = NodeConfiguration()
        configuration.listen = try userFacing {
            try PeerAddress(parsing: listen, defaultPort: ChannelConfiguration.defaultPort)
        }
        configuration.staticPeers = try userFacing {
            try peers.map { try PeerAddress(parsing: $0, defaultPort: ChannelConfiguration.defaultPort) }
        }
        configuration.mdns = !noMDNS
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "wemeet")
        let node = try userFacing {
            try WeMeetNode.Node(home: homeOptions.nodeHome, configuration: configuration, logger: logger)
        }
        let group = ServiceGroup(
            services: [ServedNode(node, web: webConfiguration)], gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger)
        do {
            try await group.run()
        } catch let error as NodeError {
            throw UserError(error)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
