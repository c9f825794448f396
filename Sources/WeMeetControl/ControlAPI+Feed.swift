import Foundation
import Hummingbird
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

extension ControlAPI {
    /// Moments, discover and the feed (API.md, "Moments, discover, feed, settings").
    package static func feedRoutes<Context: RequestContext>(_ node: Node) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/moments") { request, _ in
            let limit = try ControlQuery.limit(request) ?? 50
            return try jsonResponse(try await node.momentsPage(before: try ControlQuery.before(request), limit: limit))
        }
        routes.post("/v1/moments") { request, context in
            let body = try await request.decode(as: NewPost.self, context: context)
            return try jsonResponse(
                try await node.postMoment(body.text ?? "", attachments: body.attachments ?? []), status: .created)
        }
        routes.post("/v1/moments/:moment/like") { _, context in
            try jsonResponse(try await node.like(moment: try Self.parameter("moment", in: context)))
        }
        routes.delete("/v1/moments/:moment/like") { _, context in
            try jsonResponse(try await node.like(moment: try Self.parameter("moment", in: context), false))
        }
        routes.post("/v1/moments/:moment/comments") { request, context in
            let body = try await request.decode(as: NewPost.self, context: context)
            return try jsonResponse(
                try await node.comment(moment: try Self.parameter("moment", in: context), body.text ?? ""),
                status: .created)
        }
        routes.get("/v1/discover") { request, _ in
            let limit = try ControlQuery.limit(request) ?? 50
            return try jsonResponse(try await node.discoverPage(before: try ControlQuery.before(request), limit: limit))
        }
        routes.get("/v1/feed") { request, _ in
            let limit = try ControlQuery.limit(request) ?? 50
            return try jsonResponse(try await node.feedPage(before: try ControlQuery.before(request), limit: limit))
        }
        return routes
    }
}
