import Hummingbird
import WeMeetModel
import WeMeetNode

extension ControlAPI {
    /// Status, the profile, the radar and static peers (API.md, `GET /v1/status`, `/v1/profile`,
    /// `/v1/radar`, `/v1/peers`).
    package static func nodeRoutes<Context: RequestContext>(_ node: Node, web: WebAccess?) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/status") { _, _ in
            var status = await node.status()
            status.web = await web?.baseURL
            return try jsonResponse(status)
        }
        routes.get("/v1/profile") { _, _ in
            try jsonResponse(NodeProfile(name: await node.name))
        }
        routes.put("/v1/profile") { request, context in
            let body = try await request.decode(as: NodeProfile.self, context: context)
            return try jsonResponse(NodeProfile(name: try await node.rename(body.name)))
        }
        routes.get("/v1/radar") { _, _ in
            try jsonResponse(await node.radar())
        }
        routes.post("/v1/radar/watch") { _, _ in
            try jsonResponse(await node.watchRadar())
        }
        routes.get("/v1/peers") { _, _ in
            let status = await node.status()
            return try jsonResponse(PeerList(peers: status.peers, dialing: status.dialing))
        }
        routes.post("/v1/peers") { request, context in
            let body = try await request.decode(as: AddPeer.self, context: context)
            let address: PeerAddress
            do { address = try PeerAddress(parsing: body.address) } catch {
                throw HTTPError(.badRequest, message: (error as? NodeError)?.message ?? "\(error)")
            }
            try await node.addStaticPeer(address)
            return try jsonResponse(DialStarted(address: address.description), status: .accepted)
        }
        return routes
    }
}
