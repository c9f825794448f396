import WeMeetChannel
import WeMeetModel
import WeMeetPeers

/// Where the web app listens, and how a browser logs in.
public struct WebConfiguration: Sendable {
    /// The default port, `http://127.0.0.1:7780`.
    public static let defaultPort = 7780

    public var host: String
    public var port: Int
    /// Required to listen beyond loopback: the login page asks for it.
    public var password: String?
    /// When the default port is taken (another node on this machine), take any free one
    /// instead of failing; `--web` given explicitly fails instead.
    public var fallBackToAnyPort: Bool

    public init(
        host: String = "127.0.0.1", port: Int = Self.defaultPort, password: String? = nil,
        fallBackToAnyPort: Bool = true
    ) {
        self.host = host
        self.port = port
        self.password = password
        self.fallBackToAnyPort = fallBackToAnyPort
    }

    /// Whether `host` is a loopback address (only the machine's own user can reach it).
    public var isLoopback: Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }

    /// Checks the rule for listening beyond loopback: a password, said loudly by the caller.
    public func validate() throws(NodeError) {
        guard isLoopback || !(password ?? "").isEmpty else {
            throw NodeError(
                code: .invalidArgument,
                message: "the web app on \(host) would be reachable from the network: give --web-password too")
        }
    }
}
