import Hummingbird
import WeMeetModel
import WeMeetNode

extension ControlAPI {
    /// Pairing, friends and blocking (API.md, `/v1/pair`, `/v1/friends`, `/v1/blocked`).
    package static func pairingRoutes<Context: RequestContext>(_ node: Node) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/pair") { _, _ in
            try jsonResponse(try await node.pairingStatus())
        }
        routes.post("/v1/pair") { request, context in
            let body = try await request.decode(as: Press.self, context: context)
            let window = try ControlQuery.window(body.window)
            let status = try await node.pair(
                window: window, interactive: body.interactive ?? false, target: body.with)
            return try jsonResponse(status, status: .accepted)
        }
        routes.post("/v1/pair/choose") { request, context in
            let body = try await request.decode(as: Choice.self, context: context)
            return try jsonResponse(try await node.choosePairing(body.choice))
        }
        routes.delete("/v1/pair") { _, _ in
            try await node.cancelPairing()
            return try jsonResponse(try await node.pairingStatus())
        }
        routes.get("/v1/friends") { _, _ in
            try jsonResponse(FriendList(friends: try await node.friends()))
        }
        routes.put("/v1/friends/:friend/preferences") { request, context in
            let text = try Self.parameter("friend", in: context)
            let change = try await request.decode(as: ChatPreferenceChange.self, context: context)
            return try jsonResponse(try await node.setPreference(friend: text, change))
        }
        routes.delete("/v1/friends/:friend") { _, context in
            let text = try Self.parameter("friend", in: context)
            return try jsonResponse(FriendRemoved(removed: try await node.unpair(text)))
        }
        routes.post("/v1/blocked") { request, context in
            let body = try await request.decode(as: Choice.self, context: context)
            // The answer names the node in canonical form, however it was typed.
            return try jsonResponse(NodeBlocked(blocked: try await node.block(body.choice).description))
        }
        return routes
    }
}
