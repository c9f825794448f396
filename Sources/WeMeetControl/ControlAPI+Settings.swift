import Foundation
import Hummingbird
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

extension ControlAPI {
    /// Settings: hiding public posts, the storage quotas, the automatic attachment size,
    /// typing indicators and relaying (API.md).
    package static func settingsRoutes<Context: RequestContext>(_ node: Node) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/settings") { _, _ in
            try jsonResponse(try await Self.settings(node))
        }
        routes.post("/v1/settings") { request, context in
            let body = try await request.decode(as: SettingsValues.self, context: context)
            // All or nothing: every name and value is checked before anything is recorded.
            if let bytes = body.automaticAttachmentBytes, bytes > SettingsValues.automaticAttachmentLimit {
                throw NodeError(
                    code: .invalidArgument,
                    message: "automatic_attachment_bytes is at most \(SettingsValues.automaticAttachmentLimit) (1 TiB)")
            }
            if let changes = body.quotas {
                var limits = try await node.quotas()
                for (name, value) in changes.sorted(by: { $0.key < $1.key }) { try limits.set(name, to: value) }
                _ = try await node.setQuotas(limits)
            }
            if let hide = body.hidePublicPosts { try await node.setHidePublicPosts(hide) }
            if let bytes = body.automaticAttachmentBytes { _ = try await node.setAutomaticAttachmentBytes(bytes) }
            if let on = body.typingIndicators { try await node.setTypingIndicators(on) }
            if let on = body.relayForFriends { try await node.setRelayForFriends(on) }
            if let on = body.friendsRelayMine { try await node.setFriendsRelayMine(on) }
            return try jsonResponse(try await Self.settings(node))
        }
        return routes
    }

    /// Every setting, as `GET /v1/settings` answers.
    package static func settings(_ node: Node) async throws(NodeError) -> SettingsValues {
        SettingsValues(
            hidePublicPosts: try await node.hidesPublicPosts(), quotas: try await node.quotas().byName,
            automaticAttachmentBytes: try await node.automaticAttachmentBytes(),
            typingIndicators: try await node.typingIndicators(), relayForFriends: try await node.relaysForFriends(),
            friendsRelayMine: try await node.friendsRelayMine())
    }
}
