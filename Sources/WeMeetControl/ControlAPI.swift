import Foundation
import Hummingbird
import Logging
import NIOCore
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// The node's local control API: HTTP/1.1 + JSON on `HOME/control.sock` (mode 0600), served
/// by Hummingbird. Every route, request, response and error is in API.md.
package struct ControlAPI: Sendable {
    package let node: Node
    package let socketPath: String
    package let logger: Logger

    /// The request body of `POST /v1/peers`.
    package struct AddPeer: Decodable {
        package var address: String
    }

    /// The request body of `POST /v1/pair`.
    package struct Press: Decodable {
        package var window: Double?
        package var interactive: Bool?
        package var with: String?
    }

    /// The request body of `POST /v1/messages/FRIEND`.
    package struct SendText: Decodable {
        package var text: String
    }

    /// The request body of `POST /v1/groups`.
    package struct NewGroup: Decodable {
        package var name: String
        package var `public`: Bool?
    }

    /// The request body of `POST /v1/groups/GROUP/posts` and `POST /v1/moments`.
    package struct NewPost: Decodable {
        package var text: String
        package var reply: String?
    }

    /// The request body of invite, remove and admins.
    package struct MemberChoice: Decodable {
        package var member: String
    }

    /// The request body of `POST /v1/settings`, and the answer of both settings routes.
    package struct SettingsChange: Codable {
        package var hidePublicPosts: Bool?
        /// Quotas to change, by name (``QuotaLimits/names``); bytes or feeds.
        package var quotas: [String: UInt64]?

        package enum CodingKeys: String, CodingKey {
            case hidePublicPosts = "hide_public_posts"
            case quotas
        }
    }

    /// The request body of `POST /v1/pair/choose` and `POST /v1/blocked`.
    package struct Choice: Decodable {
        package var choice: String
    }

    /// A path parameter, percent-decoded (names may hold spaces and any character).
    package static func parameter(_ name: String, in context: some RequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    package func run() async throws {
        // A socket file left by a crashed node: safe to remove, this process holds the store
        // lock, so no other node serves this home.
        try? FileManager.default.removeItem(atPath: socketPath)
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        let node = node
        router.get("/v1/status") { _, _ in
            try jsonResponse(await node.status())
        }
        router.get("/v1/radar") { _, _ in
            try jsonResponse(await node.radar())
        }
        router.get("/v1/peers") { _, _ in
            let status = await node.status()
            return try jsonResponse(["peers": AnyEncodable(status.peers), "dialing": AnyEncodable(status.dialing)])
        }
        router.post("/v1/peers") { request, context in
            let body = try await request.decode(as: AddPeer.self, context: context)
            let address: PeerAddress
            do { address = try PeerAddress(parsing: body.address) } catch {
                throw HTTPError(.badRequest, message: (error as? NodeError)?.message ?? "\(error)")
            }
            try await node.addStaticPeer(address)
            return try jsonResponse(["address": address.description, "state": "dialing"], status: .accepted)
        }
        router.get("/v1/pair") { _, _ in
            try jsonResponse(try await node.pairingStatus())
        }
        router.post("/v1/pair") { request, context in
            let body = try await request.decode(as: Press.self, context: context)
            let window = try ControlQuery.window(body.window)
            let status = try await node.pair(
                window: window, interactive: body.interactive ?? false, target: body.with)
            return try jsonResponse(status, status: .accepted)
        }
        router.post("/v1/pair/choose") { request, context in
            let body = try await request.decode(as: Choice.self, context: context)
            return try jsonResponse(try await node.choosePairing(body.choice))
        }
        router.delete("/v1/pair") { _, _ in
            try await node.cancelPairing()
            return try jsonResponse(try await node.pairingStatus())
        }
        router.get("/v1/friends") { _, _ in
            try jsonResponse(["friends": try await node.friends()])
        }
        router.delete("/v1/friends/:friend") { _, context in
            let text = try Self.parameter("friend", in: context)
            return try jsonResponse(["removed": try await node.unpair(text)])
        }
        router.post("/v1/blocked") { request, context in
            let body = try await request.decode(as: Choice.self, context: context)
            // The answer names the node in canonical form, however it was typed.
            return try jsonResponse(["blocked": try await node.block(body.choice).description])
        }
        router.post("/v1/messages/:friend") { request, context in
            let friend = try Self.parameter("friend", in: context)
            let body = try await request.decode(as: SendText.self, context: context)
            return try jsonResponse(try await node.sendMessage(to: friend, text: body.text), status: .created)
        }
        router.get("/v1/messages/:friend") { request, context in
            let friend = try Self.parameter("friend", in: context)
            let since = try ControlQuery.since(request)
            let limit = try ControlQuery.limit(request)
            let after = try ControlQuery.after(request)
            return try jsonResponse([
                "messages": try await node.messages(with: friend, since: since, after: after, limit: limit)
            ])
        }
        router.post("/v1/messages/:friend/read") { _, context in
            let friend = try Self.parameter("friend", in: context)
            try await node.markRead(friend)
            return try jsonResponse(["read": friend])
        }
        router.get("/v1/inbox") { _, _ in
            try jsonResponse(["conversations": try await node.inbox()])
        }
        addGroupRoutes(to: router)
        addStoreRoutes(to: router)
        router.get("/v1/events") { _, _ in
            let events = node.events.subscribe()
            let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: ": WeMeet event stream\n\n"))
                    for await event in events {
                        let data = String(decoding: try ControlJSON.encoder.encode(event), as: UTF8.self)
                        try await writer.write(ByteBuffer(string: "event: \(event.type)\ndata: \(data)\n\n"))
                    }
                    try await writer.finish(nil)
                })
        }
        let socketPath = socketPath
        let app = Application(
            router: router,
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "wemeet"),
            onServerRunning: { _ in chmod(socketPath, 0o600) },
            logger: logger)
        try await app.run()
    }
}

package func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try ControlJSON.encoder.encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
}

/// Wraps a value of any Encodable type (for small ad-hoc JSON objects).
package struct AnyEncodable: Encodable {
    package let value: any Encodable
    package init(_ value: any Encodable) { self.value = value }
    package func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// Turns every error — unknown route, bad JSON, a node error — into a JSON body
/// `{"error": {"status": 400, "message": "…"}}` (API.md, "Errors").
package struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return try Self.body(error.status, error.body ?? error.status.reasonPhrase)
        } catch let error as NodeError {
            let status: HTTPResponse.Status =
                switch error.code {
                case .notRunning: .serviceUnavailable
                case .notFound: .notFound
                case .conflict: .conflict
                case .notPermitted: .forbidden
                // The node failed, not the request (a write or a verification that failed).
                case .io: .internalServerError
                default: .badRequest
                }
            return try Self.body(status, error.message)
        } catch let error as any HTTPResponseError {
            return try Self.body(error.status, "\(error)")
        } catch {
            return try Self.body(.internalServerError, "\(error)")
        }
    }

    package struct Body: Encodable {
        package struct Detail: Encodable {
            package var status: Int
            package var message: String
        }
        package var error: Detail
    }

    package static func body(_ status: HTTPResponse.Status, _ message: String) throws -> Response {
        try jsonResponse(Body(error: .init(status: status.code, message: message)), status: status)
    }
}
