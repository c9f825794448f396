import Hummingbird
import NIOCore
import WeMeetModel
import WeMeetNode

extension ControlAPI {
    /// The event stream (API.md, `GET /v1/events`): Server-Sent Events of ``NodeEvent``s.
    package static func eventsRoutes<Context: RequestContext>(_ node: Node) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/v1/events") { _, _ in
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
        return routes
    }
}
