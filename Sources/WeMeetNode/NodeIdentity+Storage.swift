import Foundation
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

extension NodeIdentity {
    /// Creates a new identity in `home`, refusing to replace one that exists.
    ///
    /// The key file is written to a temporary file (mode 0600), flushed, and then hard-linked
    /// into place, which fails atomically if a key file appeared meanwhile; a crash leaves
    /// either no identity or a complete one.
    public static func create(in home: NodeHome, name: String) throws(NodeError) -> NodeIdentity {
        let name = try validateName(name)
        if let existing = try? load(from: home) {
            throw NodeError(
                code: .identityExists,
                message:
                    "\(home.path) already holds the identity of \(existing.name) (\(existing.nodeID)); refusing to overwrite it"
            )
        }
        if FileManager.default.fileExists(atPath: home.identityKeyPath) {
            throw NodeError(
                code: .identityExists,
                message:
                    "\(home.identityKeyPath) already exists; refusing to overwrite it (move it away to start afresh)")
        }
        try home.create()
        let identity = NodeIdentity(privateKey: Ed25519.PrivateKey(), name: name)
        try SecretFile.writeNew(IdentityKeyFile.encode(identity.privateKey), to: home.identityKeyPath)
        try Profile(name: name).write(to: home.profilePath)
        return identity
    }

    /// Changes the display name kept in `home` (the profile); returns it as kept (trimmed).
    @discardableResult
    public static func rename(in home: NodeHome, to name: String) throws(NodeError) -> String {
        let name = try validateName(name)
        _ = try Profile.read(from: home.profilePath)
        try Profile(name: name).write(to: home.profilePath)
        return name
    }

    /// Loads the identity from `home`, checking permissions and integrity.
    /// - Throws: ``NodeError`` naming the file and what is wrong; never returns a new identity.
    public static func load(from home: NodeHome) throws(NodeError) -> NodeIdentity {
        try home.checkPrivate()
        let contents = try SecretFile.read(home.identityKeyPath)
        let key = try IdentityKeyFile.decode(contents, path: home.identityKeyPath)
        let profile = try Profile.read(from: home.profilePath)
        return NodeIdentity(privateKey: key, name: profile.name)
    }
}
