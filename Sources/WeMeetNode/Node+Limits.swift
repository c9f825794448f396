import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

extension Node {
    /// Checks a list limit given to the node's own API (the control API checks it first).
    package static func check(limit: Int?) throws(NodeError) {
        guard let limit else { return }
        guard (1...ControlJSON.maximumLimit).contains(limit) else {
            throw NodeError(
                code: .invalidArgument, message: "limit must be from 1 to \(ControlJSON.maximumLimit), got \(limit)")
        }
    }
}
