import Foundation
import Testing
import WeMeetControl
import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetNode
import WeMeetPeers
import WeMeetProcess
import WeMeetSync
import WeMeetTestSupport

@Suite("wemeet init / id")
struct IdentityCommandTests {
    @Test func initTwiceIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try wemeet("init", "--name", "Alice", "--home", dir.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Node ID: "))
        let second = try wemeet("init", "--name", "Bob", "--home", dir.path)
        #expect(second.status != 0)
        #expect(second.stderr.hasPrefix("wemeet: "))
        #expect(second.stderr.contains("refusing to overwrite"))
        #expect(second.stderr.split(separator: "\n").count == 1)
    }

    @Test func nameChangesTheProfileWithoutANodeAndRefusesAnEmptyOne() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        _ = try wemeet("init", "--name", "Alice", "--home", home.path)
        #expect(try wemeet("name", "--home", home.path).stdout == "Alice\n")
        let renamed = try wemeet("name", "爱丽丝", "--home", home.path)
        #expect(renamed.status == 0 && renamed.stdout.contains("your name is now 爱丽丝"), "\(renamed.stderr)")
        #expect(try wemeet("id", "--json", "--home", home.path).stdout.contains("爱丽丝"))
        let empty = try wemeet("name", "  ", "--home", home.path)
        #expect(empty.status != 0 && empty.stderr.contains("the name is empty"), "\(empty.stderr)")
    }

    @Test func idPrintsTheSameIDAsInit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let created = try wemeet("init", "--name", "Alice", "--home", dir.path, "--json")
        let createdJSON = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: String]
        let id = try wemeet("id", "--home", dir.path)
        #expect(id.status == 0)
        #expect(id.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == createdJSON?["nodeID"])
        let viaEnvironment = try wemeet("id", "--json", environment: ["WEMEET_HOME": dir.path])
        let json = try JSONSerialization.jsonObject(with: Data(viaEnvironment.stdout.utf8)) as? [String: String]
        #expect(json?["nodeID"] == createdJSON?["nodeID"])
        #expect(json?["name"] == "Alice")
    }

    @Test func looseKeyPermissionsAreRefusedInOneLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try wemeet("init", "--name", "Alice", "--home", dir.path)
        chmod(dir.path + "/identity.key", 0o644)
        let result = try wemeet("id", "--home", dir.path)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(dir.path + "/identity.key"))
        #expect(result.stderr.contains("0644"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func truncatedKeyFileIsRefusedInOneLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try wemeet("init", "--name", "Alice", "--home", dir.path)
        truncate(dir.path + "/identity.key", 40)
        let result = try wemeet("id", "--home", dir.path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("truncated: 40 of 101 bytes"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func corruptedKeyFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try wemeet("init", "--name", "Alice", "--home", dir.path)
        let path = dir.path + "/identity.key"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[20] ^= 0xff
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try wemeet("id", "--home", dir.path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("corrupted"))
    }

    @Test func noIdentitySaysHowToCreateOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try wemeet("id", "--home", dir.path + "/nobody")
        #expect(result.status != 0)
        #expect(result.stderr.contains("wemeet init --name NAME"))
    }

    @Test func badNameIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try wemeet("init", "--name", "", "--home", dir.path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("name"))
    }
}
