import Hummingbird
import NIOCore
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// The store through the running node (API.md, "Store"): verify, list feeds and forks, and
/// export a feed, while the node holds the store's lock.
extension ControlAPI {
    package static func storeRoutes<Context: RequestContext>(_ node: Node) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/store/verify") { _, _ in
            try jsonResponse(try await node.verifyStore())
        }
        routes.get("/v1/store/feeds") { _, _ in
            try jsonResponse(StoreFeedList(feeds: try await node.storeFeeds()))
        }
        routes.get("/v1/store/forks") { _, _ in
            try jsonResponse(StoreForkList(forks: try await node.storeForks()))
        }
        routes.get("/v1/store/feeds/:feed/entries") { _, context in
            let text = try Self.parameter("feed", in: context)
            guard let id = try? FeedID(hex: text) else {
                throw HTTPError(
                    .badRequest, message: "\(text) is not a feed ID (64 hex digits; see `wemeet store feeds`)")
            }
            let chunks = try await node.exportFeed(id)
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody { writer in
                    for try await chunk in chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
                    try await writer.finish(nil)
                })
        }
        return routes
    }
}
