import Foundation
import WeMeetCrypto
import WeMeetModel

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
    /// The password's hash (`crypto_pwhash_str`), when one was set in the app; nil: links
    /// from `wemeet open` only.
    private var passwordHash: String?
    /// Where the password's hash is kept (nil: in memory only).
    private let passwordFile: String?
    /// Whether the app is served over HTTPS (beyond loopback), and its certificate.
    public private(set) var certificate: Certificate?
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

    /// The web app's TLS certificate, as a person and a browser check it.
    public struct Certificate: Sendable, Equatable {
        /// SHA-256 of the DER certificate, `AB:CD:…`.
        public var fingerprint: String
        /// The same, lowercase hex without colons (the login link's `#sha256=`).
        public var compactFingerprint: String
        /// SHA-256 of its SubjectPublicKeyInfo, base64.
        public var publicKeyPin: String

        public init(fingerprint: String, compactFingerprint: String, publicKeyPin: String) {
            self.fingerprint = fingerprint
            self.compactFingerprint = compactFingerprint
            self.publicKeyPin = publicKeyPin
        }
    }

    /// `password` (tests) is kept hashed in memory; `passwordFile` holds the hash of the one
    /// set in the app, if any.
    public init(
        authority: String, password: String? = nil, passwordFile: String? = nil, sessionFile: String? = nil,
        cookieName: String = "wemeet_session"
    ) {
        self.authority = authority
        self.baseURL = "http://" + authority
        self.passwordFile = passwordFile
        if let password {
            self.passwordHash = PasswordHash.hash(password)
        } else if let passwordFile, let stored = try? String(contentsOfFile: passwordFile, encoding: .utf8) {
            let line = stored.trimmingCharacters(in: .whitespacesAndNewlines)
            self.passwordHash = line.isEmpty ? nil : line
        }
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
        baseURL = scheme + "://" + authority
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

    /// `https` beyond loopback, else `http`.
    public var scheme: String { certificate == nil ? "http" : "https" }

    /// The app is served over HTTPS with `certificate` (before it listens).
    public func secured(by certificate: Certificate) {
        self.certificate = certificate
        baseURL = "https://" + authority
    }

    /// A fresh one-time login URL. `lan`: for another device — this machine's LAN address,
    /// with the certificate's fingerprint in the fragment; refused when the app listens on
    /// loopback only.
    public func loginURL(lan: Bool = false) throws(NodeError) -> String {
        var base = baseURL
        if lan {
            guard let certificate else {
                throw NodeError(
                    code: .conflict,
                    message:
                        "the web app listens on this machine only (\(authority)); for a phone on the LAN, restart the node with --web 0.0.0.0:7790"
                )
            }
            guard let address = lanAuthority() else {
                throw NodeError(code: .conflict, message: "this machine has no LAN address the web app listens on")
            }
            base = "https://" + address
            return base + "/login?token=" + newToken() + "#sha256=" + certificate.compactFingerprint
        }
        return base + "/login?token=" + newToken()
    }

    private func newToken() -> String {
        let now = ContinuousClock.now
        tokens = tokens.filter { now - $0.value < Self.tokenLifetime }
        let token = Hex.encode(Random.bytes(count: 32))
        tokens[token] = now
        return token
    }

    /// The address a device on the LAN reaches the app by: the listening address if it is one,
    /// else one of this machine's (IPv4 first) when listening on all of them.
    private func lanAuthority() -> String? {
        func isLocal(_ hostPort: String) -> Bool {
            hostPort.hasPrefix("127.") || hostPort.hasPrefix("[::1]") || hostPort.hasPrefix("localhost")
        }
        if !isLocal(authority) && otherAuthorities.isEmpty { return authority }
        let candidates = otherAuthorities.filter { !isLocal($0) && !$0.hasPrefix("[fe80") }.sorted()
        return candidates.first { !$0.hasPrefix("[") } ?? candidates.first
    }

    /// Exchanges a token (once) or the password for a new session. `source` is the
    /// address the attempt came from: passwords are throttled per source and overall.
    public func login(token: String?, password given: String?, source: String = "") -> LoginResult {
        let now = ContinuousClock.now
        if let token, let issued = tokens.removeValue(forKey: token), now - issued < Self.tokenLifetime {
            return .session(newSession(failedAttempts: throttle.succeeded(from: source)))
        }
        guard let passwordHash, let given else { return .refused }
        if case .wait(let delay) = throttle.attempt(from: source, at: now) { return .throttled(retryAfter: delay) }
        guard PasswordHash.verify(given, against: passwordHash) else {
            throttle.failed(from: source, at: now)
            return .refused
        }
        return .session(newSession(failedAttempts: throttle.succeeded(from: source)))
    }

    /// Whether the login page asks for a password (one was set in the app).
    public var hasPassword: Bool { passwordHash != nil }

    /// The shortest password the app accepts.
    public static let minimumPasswordLength = 8

    /// Sets (or, with nil, removes) the password for logging in from another device. When one
    /// is set, `current` must be it (throttled like a login from `source`).
    public func setPassword(_ new: String?, current: String?, source: String = "") throws(NodeError) {
        if let passwordHash {
            let now = ContinuousClock.now
            if case .wait(let delay) = throttle.attempt(from: source, at: now) {
                throw NodeError(
                    code: .conflict,
                    message: "too many wrong passwords: try again in \(max(1, delay.components.seconds)) s")
            }
            guard let current, PasswordHash.verify(current, against: passwordHash) else {
                throttle.failed(from: source, at: now)
                throw NodeError(code: .invalidArgument, message: "the current password is not right")
            }
        }
        guard let new, !new.isEmpty else {
            passwordHash = nil
            if let passwordFile { unlink(passwordFile) }
            return
        }
        guard new.count >= Self.minimumPasswordLength else {
            throw NodeError(
                code: .invalidArgument,
                message: "a password needs at least \(Self.minimumPasswordLength) characters")
        }
        guard let hash = PasswordHash.hash(new) else {
            throw NodeError(code: .io, message: "cannot hash the password (out of memory)")
        }
        if let passwordFile {
            let temporary = passwordFile + ".new"
            guard
                FileManager.default.createFile(
                    atPath: temporary, contents: Data((hash + "\n").utf8), attributes: [.posixPermissions: 0o600]),
                rename(temporary, passwordFile) == 0
            else { throw NodeError(code: .io, message: "cannot write \(passwordFile)") }
        }
        passwordHash = hash
    }

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
