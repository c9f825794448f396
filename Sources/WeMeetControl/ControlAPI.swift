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
    /// The web app's access, when the node serves one (``ControlAPI/webRoutes(_:)``).
    package var web: WebAccess? = nil
    /// Called once the socket accepts requests.
    package var onSocketUp: @Sendable () async -> Void = {}

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
        package var text: String?
        /// Attachment IDs from `POST /v1/attachments`.
        package var attachments: [String]?
        /// The ID of a message of this conversation that this one replies to, quoting it.
        package var quote: String?
    }

    /// The request body of `POST /v1/messages/{friend}/recall`.
    package struct RecallBody: Decodable {
        /// The ID of one of this node's own messages in that conversation.
        package var message: String
    }

    /// The request body of `POST /v1/messages/{friend}/typing`.
    package struct TypingBody: Decodable {
        /// `true` while the person types, `false` once they stopped.
        package var typing: Bool
    }

    /// The answer of `POST /v1/messages/{friend}/typing`.
    package struct TypingAnswer: Encodable {
        /// Whether a TYPING went out (not when the setting is off, the friend is away, or one
        /// went out under three seconds ago).
        package var sent: Bool
    }

    /// The request body of `POST /v1/groups`.
    package struct NewGroup: Decodable {
        package var name: String
        package var `public`: Bool?
    }

    /// The request body of `POST /v1/groups/GROUP/posts` and `POST /v1/moments`.
    package struct NewPost: Decodable {
        package var text: String?
        package var reply: String?
        /// Attachment IDs from `POST /v1/attachments`.
        package var attachments: [String]?
        /// Members mentioned (@), by name or node ID.
        package var mentions: [String]?
        /// A post of the group this one quotes (its ID, or the first 8 digits).
        package var quote: String?
    }

    /// The request body of invite, remove and admins.
    package struct MemberChoice: Decodable {
        package var member: String
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
        Self.addRoutes(node, web: web, to: router)
        router.addRoutes(Self.webRoutes(web))
        router.addRoutes(Self.webPasswordRoutes(web))
        let socketPath = socketPath
        let app = Application(
            router: router,
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "wemeet"),
            onServerRunning: { [web, onSocketUp] _ in
                chmod(socketPath, 0o600)
                await web?.controlSocketUp()
                await onSocketUp()
            },
            logger: logger)
        try await app.run()
    }
}

extension ControlAPI {
    /// Every `/v1` route that drives the node: the control socket serves them, and so does
    /// the web app, the same handlers over the same model.
    /// `web`: the web app's access, whose address `GET /v1/status` shows (nil: no web app).
    package static func addRoutes<Context: RequestContext>(_ node: Node, web: WebAccess?, to router: Router<Context>) {
        router.addRoutes(Self.nodeRoutes(node, web: web))
        router.addRoutes(Self.pairingRoutes(node))
        router.addRoutes(Self.messagesRoutes(node))
        router.addRoutes(Self.groupRoutes(node))
        router.addRoutes(Self.feedRoutes(node))
        router.addRoutes(Self.settingsRoutes(node))
        router.addRoutes(Self.storeRoutes(node))
        router.addRoutes(Self.eventsRoutes(node))
        router.addRoutes(Self.attachmentRoutes(node))
    }
}

package func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try ControlJSON.encoder.encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
}

/// Turns every error — unknown route, bad JSON, a node error — into a JSON body
/// `{"error": {"status": 400, "message": "…"}}` (API.md, "Errors").
package struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

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

    package static func body(_ status: HTTPResponse.Status, _ message: String) throws -> Response {
        try jsonResponse(ControlErrorBody(status: status.code, message: message), status: status)
    }
}
