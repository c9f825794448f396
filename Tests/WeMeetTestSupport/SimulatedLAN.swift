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

/// A simulated LAN for one test (`scripts/lan` with a LAN name of its own): hosts are
/// network namespaces with their own avahi-daemon, so nothing reaches the real network.
package final class SimulatedLAN: Sendable {
    package let name: String
    package let hostCount: Int
    package let homes: TemporaryDirectory

    package static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    package static var script: String { repositoryRoot.appendingPathComponent("scripts/lan").path }

    /// Brings up `hosts` hosts (`h1`…).
    /// `hosts` hosts on one segment; or, with `reflectorAfter: K`, h1…hK on one segment and
    /// the rest on another, joined by host h0 running avahi-daemon with `enable-reflector=yes`
    /// and routing between them (`scripts/lan up N --reflector K`).
    package init(hosts: Int, reflectorAfter split: Int? = nil) throws {
        try #require(getuid() == 0, "LAN tests need root for network namespaces (CI runs as root)")
        // `scripts/lan` takes at most 8 characters.
        name = "t" + String(String(UInt64.random(in: 0...UInt64.max), radix: 36).prefix(7))
        hostCount = hosts
        homes = try TemporaryDirectory()
        if let split {
            try run("up", "\(hosts)", "--reflector", "\(split)")
        } else {
            try run("up", "\(hosts)")
        }
    }

    deinit {
        _ = try? run("down")
        homes.remove()
    }

    /// Runs `scripts/lan ARGS…` for this LAN; throws with its stderr when it fails.
    @discardableResult
    package func run(_ arguments: String...) throws -> String {
        let result = try Spawn.run(
            Self.script, arguments,
            environment: ProcessInfo.processInfo.environment.merging(["WEMEET_LAN": name]) { $1 })
        guard result.status == 0 else {
            throw SimulatedLANError(description: "scripts/lan \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result.stdout
    }

    /// Creates a node home named `name` (`wemeet init`).
    package func makeHome(_ name: String) throws -> String {
        let path = homes.path + "/" + name + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let result = try wemeet("init", "--name", name, "--home", path)
        try #require(result.status == 0, "wemeet init: \(result.stderr)")
        return path
    }

    /// Starts `wemeet node` on `host` for `home`.
    package func startNode(on host: String, home: String, _ extra: [String] = []) throws -> ChildProcess {
        try ChildProcess(
            label: "\(host) \((home as NSString).lastPathComponent)", executable: Self.script,
            arguments: ["exec", host, try wemeetExecutable(), "node", "--home", home] + extra,
            environment: ["WEMEET_LAN": name])
    }

    /// `scripts/lan ip HOST`.
    package func ip(_ host: String) throws -> String {
        try run("ip", host).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

package struct SimulatedLANError: Error, CustomStringConvertible {
    package var description: String

    package init(description: String) {
        self.description = description
    }
}

/// `wemeet radar --json` for `home`, decoded.
package func radar(_ home: String) throws -> RadarSnapshot {
    let result = try wemeet("radar", "--json", "--home", home)
    try #require(result.status == 0, "wemeet radar: \(result.stderr)")
    return try ControlJSON.decoder.decode(RadarSnapshot.self, from: Data(result.stdout.utf8))
}

/// `wemeet id` for `home`.
package func nodeID(_ home: String) throws -> NodeID {
    try NodeID(try wemeet("id", "--home", home).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Waits until each node's radar has logged every other node (`ids[i]` is `nodes[i]`'s ID).
package func awaitEveryoneSeesEveryone(_ nodes: [ChildProcess], ids: [NodeID]) throws {
    for (index, node) in nodes.enumerated() {
        for (other, id) in ids.enumerated() where other != index {
            try node.awaitLine(containing: "nearby node appeared", "peer=\(id)")
        }
    }
}
