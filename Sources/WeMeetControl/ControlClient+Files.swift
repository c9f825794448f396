import Foundation
import NIOCore
import NIOHTTP1
import WeMeetModel

extension ControlClient {
    /// Streams the file at `path` to `POST /v1/attachments` (never whole in memory) and
    /// returns the attachment to name in a message or post.
    public func upload(
        file path: String, voice: Bool = false, mediaType: String? = nil, durationMs: UInt64? = nil
    ) async throws(NodeError)
        -> Attachment
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw NodeError(code: .notFound, message: "cannot read \(path)")
        }
        defer { try? handle.close() }
        let size: UInt64
        do { size = try handle.seekToEnd(); try handle.seek(toOffset: 0) } catch {
            throw NodeError(code: .io, message: "cannot read \(path): \(error)")
        }
        var query = "name=" + Self.escape(URL(fileURLWithPath: path).lastPathComponent)
        if voice { query += "&voice=true" }
        if let durationMs { query += "&duration_ms=\(durationMs)" }
        if let mediaType { query += "&type=" + Self.escape(mediaType) }
        let data: Data
        do {
            data = try await stream("/v1/attachments?" + query, size: size) { () throws -> [UInt8]? in
                guard let chunk = try handle.read(upToCount: 1 << 18), !chunk.isEmpty else { return nil }
                return Array(chunk)
            }
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(code: .controlFailed, message: "the upload of \(path) failed: \(error)")
        }
        do { return try ControlJSON.decoder.decode(Attachment.self, from: data) } catch {
            throw NodeError(code: .controlFailed, message: "unexpected answer from the node: \(error)")
        }
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? "file"
    }

    private func stream(_ path: String, size: UInt64, next: () throws -> [UInt8]?) async throws -> Data {
        let channel = try await connectChannel()
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
            head.headers.add(name: "Host", value: "wemeet")
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Content-Type", value: "application/octet-stream")
            head.headers.add(name: "Content-Length", value: "\(size)")
            try await outbound.write(.head(head))
            while let chunk = try next() { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk)))) }
            try await outbound.write(.end(nil))
            var status = HTTPResponseStatus.internalServerError
            var data = Data()
            for try await part in inbound {
                switch part {
                case .head(let response): status = response.status
                case .body(let buffer): data.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard (200..<300).contains(status.code) else { throw Self.failure(status, data) }
                    return data
                }
            }
            throw NodeError(code: .controlFailed, message: "the node closed the connection")
        }
    }

    /// Writes the plaintext of a complete attachment to `file` as it streams in, and returns
    /// the path written. `exclusive`: never replace a file or follow a symbolic link — the
    /// file is created anew, as `name (1).ext`, `name (2).ext` … when `file` is taken.
    @discardableResult
    public func download(_ id: String, to file: String, exclusive: Bool = false) async throws(NodeError) -> String {
        let (handle, written) = try Self.create(file, exclusive: exclusive)
        defer { try? handle.close() }
        do {
            let channel = try await connectChannel()
            try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/attachments/\(id)/content")
                head.headers.add(name: "Host", value: "wemeet")
                head.headers.add(name: "Connection", value: "close")
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
                var status = HTTPResponseStatus.internalServerError
                var error = Data()
                for try await part in inbound {
                    switch part {
                    case .head(let response): status = response.status
                    case .body(let buffer):
                        if (200..<300).contains(status.code) {
                            try handle.write(contentsOf: buffer.readableBytesView)
                        } else {
                            error.append(contentsOf: buffer.readableBytesView)
                        }
                    case .end:
                        guard (200..<300).contains(status.code) else { throw Self.failure(status, error) }
                        return
                    }
                }
            }
        } catch let error as NodeError {
            if exclusive { unlink(written) }
            throw error
        } catch {
            if exclusive { unlink(written) }
            throw NodeError(code: .controlFailed, message: "the download failed: \(error)")
        }
        return written
    }

    /// Opens `file` for writing: exclusively and without following a link when `exclusive`
    /// (the next free `name (n).ext` when it exists), else created or truncated.
    private static func create(_ file: String, exclusive: Bool) throws(NodeError) -> (FileHandle, String) {
        guard exclusive else {
            guard FileManager.default.createFile(atPath: file, contents: nil),
                let handle = FileHandle(forWritingAtPath: file)
            else { throw NodeError(code: .io, message: "cannot write \(file)") }
            return (handle, file)
        }
        let directory = (file as NSString).deletingLastPathComponent
        let name = (file as NSString).lastPathComponent
        for n in 0..<1000 {
            let candidate = n == 0 ? file : (directory.isEmpty ? "" : directory + "/") + SafeFileName.numbered(name, n)
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 { return (FileHandle(fileDescriptor: fd, closeOnDealloc: true), candidate) }
            guard errno == EEXIST || errno == ELOOP else {
                throw NodeError(code: .io, message: "cannot write \(candidate): \(String(cString: strerror(errno)))")
            }
        }
        throw NodeError(code: .io, message: "cannot write \(file): it and 999 numbered names are taken")
    }
}
