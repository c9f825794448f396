/// A DNS-SD TXT record (RFC 6763 §6): a sequence of length-prefixed `key=value` strings.
///
/// Parsing follows RFC 6763 §6.4–6.6: keys are case-insensitive printable ASCII without
/// `=`, a string without `=` is a boolean attribute (empty value), the first occurrence of
/// a key wins, and an empty string (a lone zero byte, the "empty TXT record") holds nothing.
public struct TXTRecord: Hashable, Sendable {
    /// The attributes, keys lower-cased, in record order.
    public private(set) var pairs: [(key: String, value: [UInt8])]

    /// The largest record WeMeet writes or reads (RFC 6763 §6.2 recommends ≤ 200 bytes for
    /// a single packet; 1300 is the most that fits one).
    public static let maximumLength = 1300

    public init() { pairs = [] }

    /// The value of `key` as UTF-8 text, if present.
    public subscript(key: String) -> String? {
        pairs.first { $0.key == key.lowercased() }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Sets `key` (replacing an earlier value).
    public mutating func set(_ key: String, _ value: String) {
        let key = key.lowercased()
        precondition(Self.isValidKey(key) && key.utf8.count <= 9, "invalid TXT key \(key)")
        if let index = pairs.firstIndex(where: { $0.key == key }) {
            pairs[index].value = Array(value.utf8)
        } else {
            pairs.append((key, Array(value.utf8)))
        }
    }

    /// Parses wire bytes.
    /// - Throws: ``DiscoveryError/Code/invalidRecord`` for truncation, oversize, or a bad key.
    public init(bytes: some Collection<UInt8>) throws(DiscoveryError) {
        func invalid(_ why: String) -> DiscoveryError {
            DiscoveryError(code: .invalidRecord, message: "invalid TXT record: \(why)")
        }
        guard bytes.count <= Self.maximumLength else { throw invalid("\(bytes.count) bytes is too long") }
        let bytes = Array(bytes)
        var pairs: [(key: String, value: [UInt8])] = []
        var index = 0
        while index < bytes.count {
            let length = Int(bytes[index])
            index += 1
            guard index + length <= bytes.count else { throw invalid("string overruns the record") }
            let string = bytes[index..<index + length]
            index += length
            if string.isEmpty { continue }
            let keyBytes = string.prefix { $0 != UInt8(ascii: "=") }
            guard !keyBytes.isEmpty else { throw invalid("empty key") }
            let key = String(decoding: keyBytes, as: UTF8.self).lowercased()
            guard Self.isValidKey(key) else { throw invalid("key is not printable ASCII") }
            let value = Array(string.dropFirst(keyBytes.count + 1))
            if !pairs.contains(where: { $0.key == key }) { pairs.append((key, value)) }
        }
        self.pairs = pairs
    }

    /// The wire bytes (a lone zero byte when empty, as RFC 6763 §6.1 requires).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for (key, value) in pairs {
            let string = Array(key.utf8) + [UInt8(ascii: "=")] + value
            precondition(string.count <= 255, "TXT string too long")
            out.append(UInt8(string.count))
            out += string
        }
        return out.isEmpty ? [0] : out
    }

    package static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: "=") }
    }

    public static func == (lhs: TXTRecord, rhs: TXTRecord) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (key, value) in pairs {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
