import Hummingbird
import WeMeetModel
import WeMeetNode

extension ControlAPI {
    /// Direct messages and the inbox (API.md, `/v1/messages/{friend}`, `/v1/inbox`).
    package static func messagesRoutes<Context: RequestContext>(_ node: Node) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("/v1/messages/:friend") { request, context in
            let friend = try Self.parameter("friend", in: context)
            let body = try await request.decode(as: SendText.self, context: context)
            return try jsonResponse(
                try await node.sendMessage(
                    to: friend, text: body.text ?? "", attachments: body.attachments ?? [], quote: body.quote),
                status: .created)
        }
        routes.post("/v1/messages/:friend/recall") { request, context in
            let friend = try Self.parameter("friend", in: context)
            let body = try await request.decode(as: RecallBody.self, context: context)
            return try jsonResponse(try await node.recall(body.message, with: friend))
        }
        routes.post("/v1/messages/:friend/typing") { request, context in
            let friend = try Self.parameter("friend", in: context)
            let body = try await request.decode(as: TypingBody.self, context: context)
            return try jsonResponse(TypingAnswer(sent: try await node.typing(body.typing, to: friend)))
        }
        routes.get("/v1/messages/:friend") { request, context in
            let friend = try Self.parameter("friend", in: context)
            let window = try ControlQuery.window(request)
            let after = try ControlQuery.after(request)
            return try jsonResponse(
                try await node.messagePage(
                    with: friend, since: window.since, after: after, before: try ControlQuery.before(request),
                    limit: window.limit))
        }
        routes.post("/v1/messages/:friend/read") { _, context in
            let friend = try Self.parameter("friend", in: context)
            try await node.markRead(friend)
            return try jsonResponse(ConversationMarkedRead(read: friend))
        }
        routes.get("/v1/inbox") { _, _ in
            try jsonResponse(ConversationList(conversations: try await node.inbox()))
        }
        return routes
    }
}
