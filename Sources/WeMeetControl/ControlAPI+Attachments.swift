import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WeMeetModel
import WeMeetNode

extension ControlAPI {
    /// Attachments (API.md, `/v1/attachments`): streamed uploads, the list with each blob's
    /// state, fetching on demand, and the plaintext with HTTP `Range` (so a browser can seek).
    package static func attachmentRoutes<Context: RequestContext>(_ node: Node) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("/v1/attachments") { request, _ in
            let query = request.uri.queryParameters
            guard let name = query.get("name").map({ String($0) }), !name.isEmpty else {
                throw NodeError(code: .invalidArgument, message: "name the file: POST /v1/attachments?name=FILE")
            }
            guard let length = request.headers[.contentLength].flatMap({ UInt64($0) }) else {
                throw NodeError(code: .invalidArgument, message: "an upload needs a Content-Length")
            }
            let duration = try query.get("duration_ms").map { text -> UInt64 in
                guard let value = UInt64(text) else {
                    throw NodeError(code: .invalidArgument, message: "duration_ms is a whole number of milliseconds")
                }
                return value
            }
            let body = request.body.map { Array($0.readableBytesView) }
            let attachment = try await node.upload(
                body, size: length, name: name, mediaType: query.get("type").map { String($0) },
                voice: query.get("voice").map { $0 == "true" || $0 == "1" } ?? false, durationMs: duration)
            return try jsonResponse(attachment, status: .created)
        }
        routes.get("/v1/attachments") { _, _ in
            try jsonResponse(try await node.attachments())
        }
        routes.get("/v1/attachments/:id") { _, context in
            try jsonResponse(try await node.attachment(try Self.parameter("id", in: context)))
        }
        routes.post("/v1/attachments/:id/fetch") { _, context in
            try jsonResponse(try await node.fetchAttachment(try Self.parameter("id", in: context)))
        }
        routes.delete("/v1/attachments/:id/fetch") { _, context in
            try jsonResponse(try await node.cancelAttachmentFetch(try Self.parameter("id", in: context)))
        }
        routes.get("/v1/attachments/:id/content") { request, context in
            let status = try await node.attachment(try Self.parameter("id", in: context))
            guard status.state == .complete else {
                throw NodeError(
                    code: .conflict,
                    message:
                        "attachment \(status.attachment.id.prefix(8)) is \(status.state) here (\(status.percent)%); POST /v1/attachments/ID/fetch first"
                )
            }
            let size = status.attachment.size
            let range = try ByteRange(request.headers[.range], size: size)
            let id = status.attachment.id
            let chunk = UInt64(node.attachmentChunkSize)
            // A peer's bytes are data, never code (API.md, "Attachment content"): shown in
            // place only as a passive type, else only ever downloaded; a sandboxing policy
            // and no sniffing either way, and no other origin may embed them.
            let inline =
                request.uri.queryParameters["download"] == nil
                ? PassiveMedia.inlineType(status.attachment.mediaType) : nil
            var headers: HTTPFields = [
                .contentType: inline ?? "application/octet-stream", .acceptRanges: "bytes",
                .contentLength: "\(range.count)",
                .contentDisposition: PassiveMedia.disposition(
                    SafeFileName.clean(status.attachment.name), inline: inline != nil),
                .contentSecurityPolicy: PassiveMedia.contentSecurityPolicy,
                .xContentTypeOptions: "nosniff",
                HTTPField.Name("Cross-Origin-Resource-Policy")!: "same-origin",
            ]
            if range.partial { headers[.contentRange] = "bytes \(range.start)-\(range.end - 1)/\(size)" }
            let body = ResponseBody(contentLength: Int(range.count)) { writer in
                var offset = range.start
                while offset < range.end {
                    let index = Int(offset / chunk)
                    let plain = try await node.attachmentChunk(id, index: index)
                    let from = Int(offset - UInt64(index) * chunk)
                    let to = Int(min(UInt64(plain.count), range.end - UInt64(index) * chunk))
                    try await writer.write(ByteBuffer(bytes: plain[from..<to]))
                    offset = UInt64(index) * chunk + UInt64(to)
                }
                try await writer.finish(nil)
            }
            return Response(status: range.partial ? .partialContent : .ok, headers: headers, body: body)
        }
        return routes
    }
}

/// One `Range: bytes=A-B` (or `A-`, `-N`) of a blob; the whole blob without a header.
package struct ByteRange: Equatable, Sendable {
    package var start: UInt64
    /// One past the last byte.
    package var end: UInt64
    package var partial: Bool
    package var count: UInt64 { end - start }

    package init(_ header: String?, size: UInt64) throws(NodeError) {
        guard let header else {
            (start, end, partial) = (0, size, false)
            return
        }
        let unsatisfiable = NodeError(
            code: .invalidArgument, message: "Range \(header.prefix(80)) does not fit a blob of \(size) bytes")
        guard header.hasPrefix("bytes="), !header.contains(",") else { throw unsatisfiable }
        let spec = header.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard spec.count == 2 else { throw unsatisfiable }
        if spec[0].isEmpty {
            guard let suffix = UInt64(spec[1]), suffix > 0 else { throw unsatisfiable }
            (start, end) = (size - min(suffix, size), size)
        } else {
            guard let first = UInt64(spec[0]), first < size else { throw unsatisfiable }
            let last = spec[1].isEmpty ? size - 1 : UInt64(spec[1]) ?? UInt64.max
            guard last >= first else { throw unsatisfiable }
            (start, end) = (first, min(last, size - 1) + 1)
        }
        partial = true
    }
}
