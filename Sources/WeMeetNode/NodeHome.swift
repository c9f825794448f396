import Foundation
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

/// A node's home directory: identity, profile, and later the store and control socket.
///
/// Chosen by `--home DIR`, else `$WEMEET_HOME`, else `$XDG_DATA_HOME/wemeet`, else
/// `~/.local/share/wemeet`. The directory is mode 0700; secret files in it are 0600.
public struct NodeHome: Sendable, Hashable {
    /// The directory's path.
    public let path: String

    /// A home at `path` (not created until ``create()``).
    public init(path: String) {
        self.path = NodeHome.absolute(path)
    }

    /// Resolves the home from an explicit `--home`, the environment, and the XDG default.
    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> NodeHome {
        if let explicit, !explicit.isEmpty { return NodeHome(path: explicit) }
        if let fromEnvironment = environment["WEMEET_HOME"], !fromEnvironment.isEmpty {
            return NodeHome(path: fromEnvironment)
        }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return NodeHome(path: xdg + "/wemeet")
        }
        let user = environment["HOME"] ?? NSHomeDirectory()
        return NodeHome(path: user + "/.local/share/wemeet")
    }

    /// The identity key file (Protocol.md, "Identity key file").
    public var identityKeyPath: String { path + "/identity.key" }
    /// The profile (display name) file.
    public var profilePath: String { path + "/profile.json" }
    /// The inbox's counts of each conversation, kept so that a restart need not count again.
    public var inboxCountsPath: String { path + "/inbox-counts" }
    /// The web app's sessions (digests of their cookies), kept across restarts.
    public var webSessionsPath: String { path + "/web-sessions" }
    /// The web app's TLS certificate and its private key (PEM), made on first use beyond
    /// loopback and kept, so that its fingerprint stays the same.
    public var webCertificatePath: String { path + "/web-tls.crt" }
    public var webKeyPath: String { path + "/web-tls.key" }
    /// The web app's password, if one was set in the app (libsodium's `crypto_pwhash_str`).
    public var webPasswordPath: String { path + "/web-password" }
    /// The store's directory (Protocol.md §7.4).
    public var storePath: String { path + "/store" }

    /// Creates the directory (and its parents) if needed and sets it to mode 0700.
    public func create() throws(NodeError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw NodeError(code: .io, message: "cannot create home \(path): \(error.localizedDescription)")
        }
        guard chmod(path, 0o700) == 0 else {
            throw NodeError(
                code: .io, message: "cannot set mode 0700 on home \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Checks that the home exists, is a directory and is private to its owner.
    public func checkPrivate() throws(NodeError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw NodeError(
                code: .identityMissing,
                message: "no WeMeet home at \(path): run `wemeet init --name NAME` first")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw NodeError(code: .io, message: "home \(path) is not a directory")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw NodeError(
                code: .insecurePermissions,
                message: "home \(path) has mode \(octal(mode)), other users can see into it; run `chmod 700 \(path)`")
        }
    }

    private static func absolute(_ path: String) -> String {
        var expanded = (path as NSString).expandingTildeInPath
        if !expanded.hasPrefix("/") {
            expanded = FileManager.default.currentDirectoryPath + "/" + expanded
        }
        return (expanded as NSString).standardizingPath
    }
}

/// `0644`-style rendering of a file mode.
package func octal(_ mode: mode_t) -> String {
    "0" + String(mode & 0o7777, radix: 8)
}
