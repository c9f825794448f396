import Foundation
import WeMeetCrypto

/// Who may use the node's web app (API.md, "Web app"): one-time login tokens, issued over
/// the owner-only control socket (`wemeet open`), exchanged once for a session cookie; and,
/// when the app listens beyond loopback, a password instead of a token.
public actor WebAccess {
    /// Where the web app listens, as a browser reaches it (`http://127.0.0.1:7780`).
    public private(set) var baseURL: String
    /// The `host:port` the app answers to, besides `localhost:port`.
    public private(set) var authority: String
    /// The password for a non-loopback listener (nil on loopback: tokens only).
    private let password: String?
    private var tokens: [String: ContinuousClock.Instant] = [:]
    private var sessions: Set<String> = []
    private var bound = false
    private var waiting: [CheckedContinuation<String, Never>] = []
    private var controlUp = false
    private var waitingForControl: [CheckedContinuation<Void, Never>] = []

    /// How long a login token stays good.
    public static let tokenLifetime = Duration.seconds(300)
    /// The session cookie's name.
    public static let cookieName = "wemeet_session"

    /// Where sessions are kept across restarts (nil: in memory only): the BLAKE2b-256 of
    /// each session cookie, one per line, mode 0600 — a stopped node that comes back finds its
    /// pages still logged in, and the file gives nobody a cookie.
    private let sessionFile: String?
    /// The most sessions kept; the oldest go first.
    public static let maximumSessions = 64
    private var sessionOrder: [String] = []

    public init(authority: String, password: String? = nil, sessionFile: String? = nil) {
        self.authority = authority
        self.baseURL = "http://" + authority
        self.password = password
        self.sessionFile = sessionFile
        if let sessionFile, let text = try? String(contentsOfFile: sessionFile, encoding: .utf8) {
            let hashes = text.split(separator: "\n").map(String.init).filter {
                $0.count == 64 && $0.allSatisfy(\.isHexDigit)
            }
            sessionOrder = Array(hashes.suffix(Self.maximumSessions))
            sessions = Set(sessionOrder)
        }
    }

    private static func digest(_ cookie: String) -> String {
        Hex.encode(Blake2b.hash(Array(cookie.utf8), length: .bytes32))
    }

    /// Other `host:port`s the app answers to: a listener on every interface (`0.0.0.0`)
    /// is reached by the machine's own addresses.
    public private(set) var otherAuthorities: Set<String> = []

    /// Once the listener is bound: the port it got (for port 0 or a fallback), and the other
    /// addresses it is reached by.
    public func listening(on authority: String, alsoAt others: Set<String> = []) {
        self.authority = authority
        otherAuthorities = others
        baseURL = "http://" + authority
        bound = true
        for continuation in waiting { continuation.resume(returning: authority) }
        waiting = []
    }

    /// The `host:port` the app listens on, once it does.
    public func listeningAuthority() async -> String {
        if bound { return authority }
        return await withCheckedContinuation { waiting.append($0) }
    }

    /// The control socket answers: login links can be issued (the web app starts then).
    public func controlSocketUp() {
        controlUp = true
        for continuation in waitingForControl { continuation.resume() }
        waitingForControl = []
    }

    /// Returns once the control socket answers.
    public func controlSocketIsUp() async {
        if controlUp { return }
        await withCheckedContinuation { waitingForControl.append($0) }
    }

    /// A fresh one-time login URL.
    public func loginURL() -> String {
        let now = ContinuousClock.now
        tokens = tokens.filter { now - $0.value < Self.tokenLifetime }
        let token = Hex.encode(Random.bytes(count: 32))
        tokens[token] = now
        return baseURL + "/login?token=" + token
    }

    /// Exchanges a token (once) or the password for a new session; nil when neither holds.
    public func login(token: String?, password given: String?) -> String? {
        if let token, let issued = tokens.removeValue(forKey: token),
            ContinuousClock.now - issued < Self.tokenLifetime
        {
            return newSession()
        }
        if let password, let given, Self.equal(Array(password.utf8), Array(given.utf8)) { return newSession() }
        return nil
    }

    /// Whether the login page asks for a password (a non-loopback listener).
    public var hasPassword: Bool { password != nil }

    /// Whether `cookie` is a live session.
    public func isSession(_ cookie: String?) -> Bool {
        guard let cookie, cookie.count == 64 else { return false }
        return sessions.contains(Self.digest(cookie))
    }

    private func newSession() -> String {
        let session = Hex.encode(Random.bytes(count: 32))
        let digest = Self.digest(session)
        sessions.insert(digest)
        sessionOrder.append(digest)
        if sessionOrder.count > Self.maximumSessions {
            sessionOrder.removeFirst(sessionOrder.count - Self.maximumSessions)
        }
        sessions = Set(sessionOrder)
        saveSessions()
        return session
    }

    /// Writes the session digests (a new file renamed over the old, mode 0600).
    private func saveSessions() {
        guard let sessionFile else { return }
        let temporary = sessionFile + ".new"
        let text = sessionOrder.joined(separator: "\n") + "\n"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { return }
        _ = rename(temporary, sessionFile)
    }

    /// Compares without stopping at the first difference.
    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
