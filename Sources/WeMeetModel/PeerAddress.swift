/// A `HOST:PORT` to dial or listen on; IPv6 hosts in brackets (`[::1]:7700`).
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible, Codable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPV6]:PORT`, or `HOST` alone when `defaultPort` is given.
    public init(parsing text: String, defaultPort: Int? = nil) throws(NodeError) {
        func invalid(_ why: String) -> NodeError {
            NodeError(code: .invalidArgument, message: "invalid address \"\(text)\": \(why) (expected HOST:PORT)")
        }
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw invalid("missing ]") }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if rest.hasPrefix(":") {
                portText = rest.dropFirst()
            } else if !rest.isEmpty {
                throw invalid("text after ]")
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard host.firstIndex(of: ":") == colon else { throw invalid("IPv6 addresses need brackets") }
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw invalid("no host") }
        let port: Int
        if let portText {
            guard let value = Int(portText), (0...65535).contains(value) else { throw invalid("port must be 0-65535") }
            port = value
        } else if let defaultPort {
            port = defaultPort
        } else {
            throw invalid("no port")
        }
        self.init(host: String(host), port: port)
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
