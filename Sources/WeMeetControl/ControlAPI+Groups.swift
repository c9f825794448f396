import Foundation
import Hummingbird
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

extension ControlAPI {
    /// Groups, posts, moments, discover, the feed and settings (API.md, "Groups and feeds").
    package func addGroupRoutes(to router: Router<BasicRequestContext>) {
        let node = node
        router.get("/v1/groups") { _, _ in
            try jsonResponse(["groups": try await node.groups()])
        }
        router.post("/v1/groups") { request, context in
            let body = try await request.decode(as: NewGroup.self, context: context)
            return try jsonResponse(
                try await node.createGroup(name: body.name, isPublic: body.public ?? false), status: .created)
        }
        router.get("/v1/groups/:group") { _, context in
            let (group, members) = try await node.group(try Self.parameter("group", in: context))
            return try jsonResponse(["group": AnyEncodable(group), "members": AnyEncodable(members)])
        }
        router.get("/v1/groups/:group/members") { _, context in
            try jsonResponse(["members": try await node.group(try Self.parameter("group", in: context)).1])
        }
        router.post("/v1/groups/:group/invite") { request, context in
            let group = try Self.parameter("group", in: context)
            let body = try await request.decode(as: MemberChoice.self, context: context)
            return try jsonResponse(try await node.invite(body.member, to: group))
        }
        router.post("/v1/groups/:group/join") { _, context in
            try jsonResponse(try await node.joinGroup(try Self.parameter("group", in: context)))
        }
        router.post("/v1/groups/:group/leave") { _, context in
            let group = try Self.parameter("group", in: context)
            return try jsonResponse(try await node.leaveGroup(group))
        }
        router.post("/v1/groups/:group/remove") { request, context in
            let group = try Self.parameter("group", in: context)
            let body = try await request.decode(as: MemberChoice.self, context: context)
            return try jsonResponse(try await node.removeMember(body.member, from: group))
        }
        router.post("/v1/groups/:group/admins") { request, context in
            let group = try Self.parameter("group", in: context)
            let body = try await request.decode(as: MemberChoice.self, context: context)
            return try jsonResponse(try await node.promote(body.member, in: group))
        }
        router.get("/v1/groups/:group/posts") { request, context in
            let group = try Self.parameter("group", in: context)
            let since = try ControlQuery.since(request)
            let limit = try ControlQuery.limit(request)
            return try jsonResponse(["posts": try await node.posts(in: group, since: since, limit: limit)])
        }
        router.post("/v1/groups/:group/posts") { request, context in
            let group = try Self.parameter("group", in: context)
            let body = try await request.decode(as: NewPost.self, context: context)
            return try jsonResponse(try await node.post(body.text, to: group, reply: body.reply), status: .created)
        }
        router.get("/v1/moments") { request, _ in
            let limit = try ControlQuery.limit(request) ?? 50
            return try jsonResponse(["posts": try await node.moments(limit: limit)])
        }
        router.post("/v1/moments") { request, context in
            let body = try await request.decode(as: NewPost.self, context: context)
            return try jsonResponse(try await node.postMoment(body.text), status: .created)
        }
        router.get("/v1/discover") { request, _ in
            let limit = try ControlQuery.limit(request) ?? 50
            return try jsonResponse(["posts": try await node.discover(limit: limit)])
        }
        router.get("/v1/feed") { request, _ in
            let limit = try ControlQuery.limit(request) ?? 50
            return try jsonResponse(["posts": try await node.feed(limit: limit)])
        }
        router.get("/v1/settings") { _, _ in
            try jsonResponse(try await Self.settings(node))
        }
        router.post("/v1/settings") { request, context in
            let body = try await request.decode(as: SettingsChange.self, context: context)
            if let changes = body.quotas {
                // All or nothing: every name and value is checked before anything is recorded.
                var limits = try await node.quotas()
                for (name, value) in changes.sorted(by: { $0.key < $1.key }) { try limits.set(name, to: value) }
                _ = try await node.setQuotas(limits)
            }
            if let hide = body.hidePublicPosts { try await node.setHidePublicPosts(hide) }
            return try jsonResponse(try await Self.settings(node))
        }
    }

    /// Every setting, as `GET /v1/settings` answers.
    package static func settings(_ node: Node) async throws(NodeError) -> SettingsChange {
        SettingsChange(hidePublicPosts: try await node.hidesPublicPosts(), quotas: try await node.quotas().byName)
    }
}
