import Foundation
import WeMeetCrypto

/// Who may use the node's web app (API.md, "Web app"): one-time login tokens, issued over
/// the owner-only control socket (`wemeet open`), exchanged once for a session; and, when
/// the app listens beyond loopback, a password instead of a token, throttled
/// (``LoginThrottle``).
///
/// A session is two secrets. The cookie (named after this node, so that two nodes on one
/// machine keep theirs apart) goes to every port of the host, as browsers send cookies per
/// host, not per port; the proof goes to the page once, in the fragment of the address it
/// is sent to after logging in, is kept in the page's origin-bound storage and sent by the
/// page itself with each call. A program on another port of the machine may receive the
/// cookie, but never the proof, and a cookie without its proof opens nothing.
public actor WebAccess {
    /// Where the web app listens, as a browser reaches it (`http://127.0.0.1:7780`).
    public private(set) var baseURL: String
    /// The `host:port` the app answers to, besides `localhost:port`.
    public private(set) var authority: String
    /// The password for a non-loopback listener (nil on loopback: tokens only).
    private let password: String?
    private var tokens: [String: ContinuousClock.Instant] = [:]
    /// Each live session: the digest of its cookie, and of its proof.
    private var sessions: [String: String] = [:]
    private var throttle = LoginThrottle<ContinuousClock.Instant>()
    private var bound = false
    private var waiting: [CheckedContinuation<String, Never>] = []
    private var controlUp = false
    private var waitingForControl: [CheckedContinuation<Void, Never>] = []

    /// How long a login token stays good.
    public static let tokenLifetime = Duration.seconds(300)
    /// The session cookie's name: `wemeet_` and 16 hex digits of BLAKE2b of the node's ID,
    /// so that each node on a machine has its own.
    public nonisolated let cookieName: String
    /// The header the page sends its session's proof in (or the query parameter `proof`,
    /// where it cannot set a header: an event stream, an image's or a download's address).
    public static let proofHeader = "X-WeMeet-Proof"

    /// The cookie name for the node whose ID is `nodeID` (its text form).
    public static func cookieName(forNode nodeID: String) -> String {
        "wemeet_" + Hex.encode(Blake2b.hash(Array(nodeID.utf8), length: .bytes32).prefix(8))
    }

    /// A login that worked: the cookie to set, the proof for the page, and the wrong
    /// passwords tried since the last login (to tell the user).
    public struct Session: Sendable, Equatable {
        public var cookie: String
        public var proof: String
        public var failedAttempts: Int
    }

    /// What a login attempt got.
    public enum LoginResult: Sendable, Equatable {
        case session(Session)
        /// No such token, or a wrong password.
        case refused
        /// Too many wrong passwords: this attempt was not even checked; try again after this.
        case throttled(retryAfter: Duration)
    }

    /// Where sessions are kept across restarts (nil: in memory only): the BLAKE2b-256 of
    /// each session cookie, one per line, mode 0600 — a stopped node that comes back finds its
    /// pages still logged in, and the file gives nobody a cookie.
    private let sessionFile: String?
    /// The most sessions kept; the oldest go first.
    public static let maximumSessions = 64
    private var sessionOrder: [String] = []

    public init(
        authority: String, password: String? = nil, sessionFile: String? = nil, cookieName: String = "wemeet_session"
    ) {
        self.authority = authority
        self.baseURL = "http://" + authority
        self.password = password
        self.sessionFile = sessionFile
        self.cookieName = cookieName
        if let sessionFile, let text = try? String(contentsOfFile: sessionFile, encoding: .utf8) {
            // One session a line: the cookie's digest, a space, the proof's digest.
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 2, parts.allSatisfy({ $0.count == 64 && $0.allSatisfy(\.isHexDigit) }),
                    sessions[parts[0]] == nil
                else { continue }
                sessions[parts[0]] = parts[1]
                sessionOrder.append(parts[0])
            }
            for dropped in sessionOrder.dropLast(Self.maximumSessions) { sessions.removeValue(forKey: dropped) }
            sessionOrder = Array(sessionOrder.suffix(Self.maximumSessions))
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

    /// Returns once the control socket answers, or the node has stopped (``nodeStopped()``).
    public func controlSocketIsUp() async {
        if controlUp || stopped { return }
        await withCheckedContinuation { waitingForControl.append($0) }
    }

    /// The node stopped (or never started): nobody waits for its control socket any more.
    public private(set) var stopped = false

    /// Releases whoever waits for the control socket: the node is not coming.
    public func nodeStopped() {
        stopped = true
        for continuation in waitingForControl { continuation.resume() }
        waitingForControl = []
    }

    /// A fresh one-time login URL.
    public func loginURL() -> String {
        let now = ContinuousClock.now
        tokens = tokens.filter { now - $0.value < Self.tokenLifetime }
        let token = Hex.encode(Random.bytes(count: 32))
        tokens[token] = now
        return baseURL + "/login?token=" + token
    }

    /// Exchanges a token (once) or the password for a new session. `source` is the
    /// address the attempt came from: passwords are throttled per source and overall.
    public func login(token: String?, password given: String?, source: String = "") -> LoginResult {
        let now = ContinuousClock.now
        if let token, let issued = tokens.removeValue(forKey: token), now - issued < Self.tokenLifetime {
            return .session(newSession(failedAttempts: throttle.succeeded(from: source)))
        }
        guard let password, let given else { return .refused }
        if case .wait(let delay) = throttle.attempt(from: source, at: now) { return .throttled(retryAfter: delay) }
        guard Self.equal(Array(password.utf8), Array(given.utf8)) else {
            throttle.failed(from: source, at: now)
            return .refused
        }
        return .session(newSession(failedAttempts: throttle.succeeded(from: source)))
    }

    /// Whether the login page asks for a password (a non-loopback listener).
    public var hasPassword: Bool { password != nil }

    /// Whether `cookie` belongs to a live session (enough for the page itself, which holds
    /// nothing of the user's).
    public func isSession(_ cookie: String?) -> Bool {
        guard let cookie, cookie.count == 64 else { return false }
        return sessions[Self.digest(cookie)] != nil
    }

    /// Whether `cookie` and `proof` are one live session's (what every `/v1` call needs).
    public func isSession(_ cookie: String?, proof: String?) -> Bool {
        guard let cookie, let proof, cookie.count == 64, proof.count == 64,
            let expected = sessions[Self.digest(cookie)]
        else { return false }
        return Self.equal(Array(expected.utf8), Array(Self.digest(proof).utf8))
    }

    private func newSession(failedAttempts: Int) -> Session {
        let session = Session(
            cookie: Hex.encode(Random.bytes(count: 32)), proof: Hex.encode(Random.bytes(count: 32)),
            failedAttempts: failedAttempts)
        let digest = Self.digest(session.cookie)
        sessions[digest] = Self.digest(session.proof)
        sessionOrder.append(digest)
        if sessionOrder.count > Self.maximumSessions {
            for dropped in sessionOrder.prefix(sessionOrder.count - Self.maximumSessions) {
                sessions.removeValue(forKey: dropped)
            }
            sessionOrder.removeFirst(sessionOrder.count - Self.maximumSessions)
        }
        saveSessions()
        return session
    }

    /// Writes the session digests (a new file renamed over the old, mode 0600).
    private func saveSessions() {
        guard let sessionFile else { return }
        let temporary = sessionFile + ".new"
        let text = sessionOrder.map { $0 + " " + (sessions[$0] ?? "") }.joined(separator: "\n") + "\n"
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
