import Foundation
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

/// The node's public profile on disk, `profile.json` (Protocol.md, "Profile file").
package struct Profile: Codable, Sendable, Equatable {
    /// The format version; this build writes and reads 1.
    package var version: Int = 1
    /// The display name.
    package var name: String

    package init(name: String) {
        self.name = name
    }

    package func write(to path: String) throws(NodeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw NodeError(code: .io, message: "cannot encode profile: \(error)")
        }
        try SecretFile.replace(Array(data) + [0x0a], at: path, mode: 0o600)
    }

    package static func read(from path: String) throws(NodeError) -> Profile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NodeError(
                code: .invalidIdentity,
                message: "profile \(path) is missing or unreadable; run `wemeet init` in a new home")
        }
        let profile: Profile
        do { profile = try JSONDecoder().decode(Profile.self, from: data) } catch {
            throw NodeError(code: .invalidIdentity, message: "profile \(path) is not valid JSON of the expected form")
        }
        guard profile.version == 1 else {
            throw NodeError(
                code: .invalidIdentity, message: "profile \(path) has version \(profile.version); this wemeet reads 1")
        }
        do { _ = try NodeIdentity.validateName(profile.name) } catch {
            throw NodeError(code: .invalidIdentity, message: "profile \(path): \(error.message)")
        }
        return profile
    }
}
