import WeMeetChannel
import WeMeetModel
import WeMeetPeers

/// Where the web app listens: on loopback over HTTP; beyond it over HTTPS only, with the
/// node's own certificate (``WebCertificate``), logged in by a `wemeet open --lan` link or
/// the password set in the app.
public struct WebConfiguration: Sendable {
    /// The default port, `http://127.0.0.1:7780`.
    public static let defaultPort = 7780

    public var host: String
    public var port: Int
    /// When the default port is taken (another node on this machine), take any free one
    /// instead of failing; `--web` given explicitly fails instead.
    public var fallBackToAnyPort: Bool

    public init(
        host: String = "127.0.0.1", port: Int = Self.defaultPort, fallBackToAnyPort: Bool = true
    ) {
        self.host = host
        self.port = port
        self.fallBackToAnyPort = fallBackToAnyPort
    }

    /// Whether `host` is a loopback address (only the machine's own user can reach it).
    public var isLoopback: Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}
