import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import WeMeetCrypto
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// A client of a running node's control API (API.md), over its Unix socket: what the CLI
/// and tests use. Requests use NIO's HTTP/1.1 codec; nothing parses HTTP by hand.
public struct ControlClient: Sendable {
    public let home: NodeHome

    public init(home: NodeHome) {
        self.home = home
    }

    package var socketPath: String { home.path + "/control.sock" }

    /// `GET path`, decoded as `T`.
    public func get<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws(NodeError) -> T {
        try decode(try await request(.GET, path))
    }

    /// `DELETE path`, decoded as `T`.
    public func delete<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws(NodeError) -> T {
        try decode(try await request(.DELETE, path))
    }

    /// `POST path` with a JSON body, decoded as `T`.
    public func post<T: Decodable>(
        _ path: String, json: some Encodable, as type: T.Type = T.self
    ) async throws(NodeError)
        -> T
    {
        let body: Data
        do { body = try ControlJSON.encoder.encode(json) } catch {
            throw NodeError(code: .invalidArgument, message: "cannot encode request: \(error)")
        }
        return try decode(try await request(.POST, path, body: body))
    }

    /// `PUT path` with a JSON body, decoded as `T`.
    public func put<T: Decodable>(
        _ path: String, json: some Encodable, as type: T.Type = T.self
    ) async throws(NodeError)
        -> T
    {
        let body: Data
        do { body = try ControlJSON.encoder.encode(json) } catch {
            throw NodeError(code: .invalidArgument, message: "cannot encode request: \(error)")
        }
        return try decode(try await request(.PUT, path, body: body))
    }

    private func decode<T: Decodable>(_ data: Data) throws(NodeError) -> T {
        do { return try ControlJSON.decoder.decode(T.self, from: data) } catch {
            throw NodeError(code: .controlFailed, message: "unexpected answer from the node: \(error)")
        }
    }

    /// Sends one request; returns the body of a 2xx answer, or throws the node's error message.
    public func request(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws(NodeError) -> Data {
        let result: (HTTPResponseStatus, Data)
        do {
            result = try await send(method, path, body: body)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(code: .controlFailed, message: "control request \(method) \(path) failed: \(error)")
        }
        let (status, data) = result
        guard (200..<300).contains(status.code) else { throw Self.failure(status, data) }
        return data
    }

    /// The node's error for a non-2xx answer: its message from the JSON body, else the status.
    package static func failure(_ status: HTTPResponseStatus, _ data: Data) -> NodeError {
        let message =
            (try? ControlJSON.decoder.decode(ControlErrorBody.self, from: data))?.error.message ?? status.reasonPhrase
        return NodeError(code: .controlFailed, message: message)
    }

    /// Follows `GET /v1/events` (server-sent events), calling `handle` for each event until
    /// it returns `false`; returns normally when the node ends the stream (it stopped).
    /// `subscribed` runs once the node has answered, so every later event will be seen.
    public func followEvents(
        subscribed: () -> Void = {}, _ handle: (NodeEvent) async throws -> Bool
    ) async throws(NodeError) {
        do {
            let channel = try await connectChannel()
            try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/events")
                head.headers.add(name: "Host", value: "wemeet")
                head.headers.add(name: "Accept", value: "text/event-stream")
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
                var pending = ""
                for try await part in inbound {
                    if case .head = part { subscribed() }
                    guard case .body(let buffer) = part else { continue }
                    pending += String(decoding: buffer.readableBytesView, as: UTF8.self)
                    while let end = pending.range(of: "\n\n") {
                        let block = pending[..<end.lowerBound]
                        pending.removeSubrange(..<end.upperBound)
                        for line in block.split(separator: "\n") where line.hasPrefix("data: ") {
                            let event = try ControlJSON.decoder.decode(
                                NodeEvent.self, from: Data(line.dropFirst(6).utf8))
                            guard try await handle(event) else { return }
                        }
                    }
                }
            }
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(code: .controlFailed, message: "event stream failed: \(error)")
        }
    }

    package func connectChannel() async throws(NodeError) -> NIOAsyncChannel<
        HTTPClientResponsePart, HTTPClientRequestPart
    > {
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw NodeError(
                code: .notRunning,
                message: "no node is running for \(home.path); start one with `wemeet node --home \(home.path)`")
        }
    }

    private func send(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> (HTTPResponseStatus, Data) {
        let channel = try await connectChannel()
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: "wemeet")
            head.headers.add(name: "Connection", value: "close")
            if let body {
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: "\(body.count)")
            }
            // One write: the node may answer (and close, as asked) as soon as it has the
            // head, and a separate later write of the end would then fail.
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)
            var status = HTTPResponseStatus.internalServerError
            var data = Data()
            for try await part in inbound {
                switch part {
                case .head(let response): status = response.status
                case .body(let buffer): data.append(contentsOf: buffer.readableBytesView)
                case .end: return (status, data)
                }
            }
            return (status, data)
        }
    }
}
