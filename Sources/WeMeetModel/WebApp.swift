/// `GET /v1/web` and `POST /v1/web/login` on the control socket: where the node's web app
/// is, and (for `POST`) a one-time login URL carrying a token.
public struct WebApp: Codable, Sendable, Equatable {
    /// `http://127.0.0.1:7780`, or nil when the node runs without it (`--no-web`).
    public var url: String?
    /// A one-time login URL (`POST /v1/web/login` only).
    public var login: String?

    public init(url: String?, login: String? = nil) {
        self.url = url
        self.login = login
    }
}
