/// `GET /v1/web` and `POST /v1/web/login` on the control socket: where the node's web app
/// is, and (for `POST`) a one-time login URL carrying a token.
public struct WebApp: Codable, Sendable, Equatable {
    /// `http://127.0.0.1:7780` (`https://…` beyond loopback), or nil when the node runs
    /// without it (`--no-web`).
    public var url: String?
    /// A one-time login URL (`POST /v1/web/login` only). For `{"lan": true}`, its host is
    /// this machine's LAN address and its fragment carries the certificate's fingerprint
    /// (`#sha256=HEX`), for a phone to check.
    public var login: String?
    /// Beyond loopback: the SHA-256 of the app's TLS certificate (DER), as browsers show it
    /// (`AB:CD:…`).
    public var fingerprint: String?
    /// Beyond loopback: the SHA-256 of the certificate's public key (SubjectPublicKeyInfo), in
    /// base64 — what Chromium's `--ignore-certificate-errors-spki-list` takes.
    public var publicKeyPin: String?

    public init(url: String?, login: String? = nil, fingerprint: String? = nil, publicKeyPin: String? = nil) {
        self.url = url
        self.login = login
        self.fingerprint = fingerprint
        self.publicKeyPin = publicKeyPin
    }
}

/// The body of `POST /v1/web/login`: `{"lan": true}` for a link a phone on the LAN can open.
public struct WebLoginRequest: Codable, Sendable, Equatable {
    public var lan: Bool?

    public init(lan: Bool? = nil) { self.lan = lan }
}

/// The body of `PUT /v1/web/password`: the new password (nil or absent removes it), and the
/// current one when one is set.
public struct WebPasswordChange: Codable, Sendable, Equatable {
    public var password: String?
    public var current: String?

    public init(password: String?, current: String? = nil) {
        self.password = password
        self.current = current
    }
}

/// Whether the web app has a password (`GET /v1/web/password`).
public struct WebPasswordState: Codable, Sendable, Equatable {
    public var set: Bool

    public init(set: Bool) { self.set = set }
}

/// `GET /v1/profile` and the body of `PUT /v1/profile`: this node's display name.
public struct NodeProfile: Codable, Sendable, Equatable {
    public var name: String

    public init(name: String) { self.name = name }
}
