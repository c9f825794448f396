import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetNode

@Suite("identity in the node home")
struct NodeIdentityTests {
    @Test func createThenLoad() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let home = NodeHome(path: dir.path + "/a/b")
        let created = try NodeIdentity.create(in: home, name: "  Alice  ")
        #expect(created.name == "Alice")
        let loaded = try NodeIdentity.load(from: home)
        #expect(loaded.nodeID == created.nodeID)
        #expect(loaded.name == "Alice")
        #expect(mode(of: home.path) == 0o700)
        #expect(mode(of: home.identityKeyPath) == 0o600)
        #expect(mode(of: home.profilePath) == 0o600)
    }

    @Test func secondCreateIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let home = NodeHome(path: dir.path)
        let first = try NodeIdentity.create(in: home, name: "Alice")
        let error = #expect(throws: NodeError.self) { try NodeIdentity.create(in: home, name: "Mallory") }
        #expect(error?.code == .identityExists)
        #expect(error?.message.contains(first.nodeID.description) == true)
        #expect(try NodeIdentity.load(from: home).nodeID == first.nodeID)
    }

    @Test func createRefusesEvenOverABrokenKeyFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let home = NodeHome(path: dir.path)
        _ = try NodeIdentity.create(in: home, name: "Alice")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: home.identityKeyPath))
        let error = #expect(throws: NodeError.self) { try NodeIdentity.create(in: home, name: "Alice") }
        #expect(error?.code == .identityExists)
    }

    @Test func missingHomeSaysHowToStart() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let error = #expect(throws: NodeError.self) { try NodeIdentity.load(from: NodeHome(path: dir.path + "/none")) }
        #expect(error?.code == .identityMissing)
        #expect(error?.message.contains("wemeet init") == true)
    }

    @Test("group- or world-readable key file is refused", arguments: [0o644, 0o640, 0o604, 0o660])
    func looseKeyFilePermissions(_ permissions: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let home = NodeHome(path: dir.path)
        _ = try NodeIdentity.create(in: home, name: "Alice")
        chmod(home.identityKeyPath, mode_t(permissions))
        let error = #expect(throws: NodeError.self) { try NodeIdentity.load(from: home) }
        #expect(error?.code == .insecurePermissions)
        #expect(error?.message.contains(home.identityKeyPath) == true)
        #expect(error?.message.contains("chmod 600") == true)
    }

    @Test func looseHomePermissionsAreRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let home = NodeHome(path: dir.path)
        _ = try NodeIdentity.create(in: home, name: "Alice")
        chmod(home.path, 0o755)
        let error = #expect(throws: NodeError.self) { try NodeIdentity.load(from: home) }
        #expect(error?.code == .insecurePermissions)
    }

    /// A crash at any byte while the key was written, simulated by truncation: always refused.
    @Test func everyTruncationIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let home = NodeHome(path: dir.path)
        _ = try NodeIdentity.create(in: home, name: "Alice")
        let original = try Data(contentsOf: URL(fileURLWithPath: home.identityKeyPath))
        for length in 0..<original.count {
            try original.prefix(length).write(to: URL(fileURLWithPath: home.identityKeyPath))
            let error = #expect(throws: NodeError.self) { try NodeIdentity.load(from: home) }
            #expect(error?.code == .invalidIdentity)
            #expect(error?.message.contains("truncated: \(length) of 101 bytes") == true)
        }
    }

    /// Every single flipped bit is detected; no corrupted file ever loads as some other key.
    @Test func everyBitFlipIsDetected() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let home = NodeHome(path: dir.path)
        _ = try NodeIdentity.create(in: home, name: "Alice")
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: home.identityKeyPath)))
        for bit in 0..<(original.count * 8) {
            var corrupted = original
            corrupted[bit / 8] ^= UInt8(1 << (bit % 8))
            #expect(throws: NodeError.self) {
                try IdentityKeyFile.decode(SecureBytes(corrupted), path: "identity.key")
            }
        }
        try Data(original + [0]).write(to: URL(fileURLWithPath: home.identityKeyPath))
        #expect(throws: NodeError.self) { try NodeIdentity.load(from: home) }
    }

    /// The vector in Protocol.md, "Identity key file".
    @Test func keyFileVector() throws {
        let seed = try Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
        let key = try Ed25519.PrivateKey(seed: SecureBytes(seed))
        let encoded = IdentityKeyFile.encode(key).unsafeCopy
        #expect(
            Hex.encode(encoded)
                == "574d4944019d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
                + Hex.encode(try Blake2b.hash(encoded.prefix(69), outputLength: 32)))
        #expect(try IdentityKeyFile.decode(SecureBytes(encoded), path: "x").publicKey == key.publicKey)
    }

    @Test(
        "bad names are refused",
        arguments: ["", "   ", String(repeating: "x", count: 49), "tab\tname", "new\u{0}line"])
    func badNames(_ name: String) {
        let error = #expect(throws: NodeError.self) { try NodeIdentity.validateName(name) }
        #expect(error?.code == .invalidName)
    }

    @Test func homeResolutionOrder() {
        #expect(NodeHome.resolve(explicit: "/x", environment: ["WEMEET_HOME": "/y"]).path == "/x")
        #expect(
            NodeHome.resolve(explicit: nil, environment: ["WEMEET_HOME": "/y", "XDG_DATA_HOME": "/z"]).path == "/y")
        #expect(
            NodeHome.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/z", "HOME": "/h"]).path == "/z/wemeet")
        #expect(NodeHome.resolve(explicit: nil, environment: ["HOME": "/h"]).path == "/h/.local/share/wemeet")
    }

    private func mode(of path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o777
    }
}
