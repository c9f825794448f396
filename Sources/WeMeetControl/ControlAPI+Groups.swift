import Foundation
import Hummingbird
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

extension ControlAPI {
    /// Groups, their members and posts (API.md, "Groups").
    package static func groupRoutes<Context: RequestContext>(_ node: Node) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/groups") { _, _ in
            try jsonResponse(GroupList(groups: try await node.groups()))
        }
        routes.post("/v1/groups") { request, context in
            let body = try await request.decode(as: NewGroup.self, context: context)
            return try jsonResponse(
                try await node.createGroup(name: body.name, isPublic: body.public ?? false), status: .created)
        }
        routes.get("/v1/groups/:group") { _, context in
            let (group, members) = try await node.group(try Self.parameter("group", in: context))
            return try jsonResponse(GroupDetails(group: group, members: members))
        }
        routes.get("/v1/groups/:group/members") { _, context in
            try jsonResponse(MemberList(members: try await node.group(try Self.parameter("group", in: context)).1))
        }
        routes.post("/v1/groups/:group/invite") { request, context in
            let group = try Self.parameter("group", in: context)
            let body = try await request.decode(as: MemberChoice.self, context: context)
            return try jsonResponse(try await node.invite(body.member, to: group))
        }
        routes.post("/v1/groups/:group/join") { _, context in
            try jsonResponse(try await node.joinGroup(try Self.parameter("group", in: context)))
        }
        routes.put("/v1/groups/:group/preferences") { request, context in
            let text = try Self.parameter("group", in: context)
            let change = try await request.decode(as: ChatPreferenceChange.self, context: context)
            return try jsonResponse(try await node.setPreference(group: text, change))
        }
        routes.post("/v1/groups/:group/leave") { _, context in
            let group = try Self.parameter("group", in: context)
            return try jsonResponse(try await node.leaveGroup(group))
        }
        routes.post("/v1/groups/:group/remove") { request, context in
            let group = try Self.parameter("group", in: context)
            let body = try await request.decode(as: MemberChoice.self, context: context)
            return try jsonResponse(try await node.removeMember(body.member, from: group))
        }
        routes.post("/v1/groups/:group/admins") { request, context in
            let group = try Self.parameter("group", in: context)
            let body = try await request.decode(as: MemberChoice.self, context: context)
            return try jsonResponse(try await node.promote(body.member, in: group))
        }
        routes.get("/v1/groups/:group/posts") { request, context in
            let group = try Self.parameter("group", in: context)
            let window = try ControlQuery.window(request)
            return try jsonResponse(
                try await node.postPage(
                    in: group, since: window.since, before: try ControlQuery.before(request), limit: window.limit))
        }
        routes.post("/v1/groups/:group/posts/:post/recall") { _, context in
            try jsonResponse(
                try await node.recallPost(
                    try Self.parameter("post", in: context), in: try Self.parameter("group", in: context)))
        }
        routes.post("/v1/groups/:group/posts") { request, context in
            let group = try Self.parameter("group", in: context)
            let body = try await request.decode(as: NewPost.self, context: context)
            return try jsonResponse(
                try await node.post(
                    body.text ?? "", to: group, reply: body.reply, attachments: body.attachments ?? [],
                    mentions: body.mentions ?? [], quote: body.quote),
                status: .created)
        }
        return routes
    }
}
