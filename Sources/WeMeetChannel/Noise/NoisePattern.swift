import Foundation
import Synchronization

/// A Noise handshake pattern (§7): pre-messages and message token lists, with PSK modifiers
/// applied (§9).
public struct NoisePattern: Sendable, Hashable {
    /// A token of §7.
    public enum Token: String, Sendable, Hashable {
        case e, s, ee, es, se, ss, psk
    }

    /// One pre-message or message: who sends it and its tokens.
    public struct Message: Sendable, Hashable {
        public var fromInitiator: Bool
        public var tokens: [Token]
    }

    /// The pattern's name including modifiers, e.g. `XX` or `IKpsk2`.
    public let name: String
    /// Pre-messages (public keys known in advance), in order.
    public let preMessages: [Message]
    /// Handshake messages, in order.
    public let messages: [Message]

    /// Whether the pattern uses PSKs (which changes the `e` token, §9.2).
    public var usesPSK: Bool { messages.contains { $0.tokens.contains(.psk) } }
    /// Whether only the initiator sends (N, K, X and their PSK variants).
    public var isOneWay: Bool { messages.allSatisfy(\.fromInitiator) }

    /// The pattern named `name` (e.g. `XX`, `X1K1`, `NNpsk0+psk2`).
    /// - Throws: ``NoiseError/Code/unsupportedProtocol`` for an unknown pattern or modifier.
    public init(_ name: String) throws(NoiseError) {
        if let cached = Self.cache.withLock({ $0[name] }) {
            self = cached
            return
        }
        try self.init(parsing: name)
        let parsed = self
        Self.cache.withLock { $0[name] = parsed }
    }

    /// `XX` (§7.5), the pattern WeMeet's channel uses, built without parsing: it cannot fail.
    public static let xx = NoisePattern(
        name: "XX", preMessages: [],
        messages: [
            Message(fromInitiator: true, tokens: [.e]),
            Message(fromInitiator: false, tokens: [.e, .ee, .s, .es]),
            Message(fromInitiator: true, tokens: [.s, .se]),
        ])

    private init(name: String, preMessages: [Message], messages: [Message]) {
        self.name = name
        self.preMessages = preMessages
        self.messages = messages
    }

    /// Patterns already parsed, by name: a handshake should not pay for string parsing.
    private static let cache = Mutex<[String: NoisePattern]>([:])

    private init(parsing name: String) throws(NoiseError) {
        let baseEnd = name.range(of: "psk")?.lowerBound ?? name.endIndex
        let base = String(name[..<baseEnd])
        guard let notation = Self.catalogue[base] else {
            throw NoiseError(code: .unsupportedProtocol, message: "unknown Noise pattern \(base)")
        }
        var (pre, messages) = Self.parse(notation)
        let modifiers = name[baseEnd...].split(separator: "+", omittingEmptySubsequences: true)
        for modifier in modifiers {
            guard modifier.hasPrefix("psk"), let index = Int(modifier.dropFirst(3)), index <= messages.count else {
                throw NoiseError(code: .unsupportedProtocol, message: "unsupported Noise modifier \(modifier)")
            }
            if index == 0 {
                messages[0].tokens.insert(.psk, at: 0)
            } else {
                messages[index - 1].tokens.append(.psk)
            }
        }
        self.name = name
        self.preMessages = pre
        self.messages = messages
    }

    private static func parse(_ notation: String) -> (pre: [Message], messages: [Message]) {
        func lines(_ text: Substring) -> [Message] {
            text.split(separator: ";").map { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                let fromInitiator = trimmed.hasPrefix("->")
                let tokens = trimmed.dropFirst(2).split(separator: ",").map {
                    Token(rawValue: $0.trimmingCharacters(in: .whitespaces))!
                }
                return Message(fromInitiator: fromInitiator, tokens: tokens)
            }
        }
        if let dots = notation.range(of: "...") {
            return (lines(notation[..<dots.lowerBound]), lines(notation[dots.upperBound...]))
        }
        return ([], lines(notation[...]))
    }

    /// Every fundamental (§7.4, §7.5) and deferred (§18) pattern of the specification, rev. 34.
    package static let catalogue: [String: String] = [
        "N": "<- s ... -> e, es",
        "K": "-> s; <- s ... -> e, es, ss",
        "X": "<- s ... -> e, es, s, ss",
        "NN": "-> e; <- e, ee",
        "NK": "<- s ... -> e, es; <- e, ee",
        "NX": "-> e; <- e, ee, s, es",
        "XN": "-> e; <- e, ee; -> s, se",
        "XK": "<- s ... -> e, es; <- e, ee; -> s, se",
        "XX": "-> e; <- e, ee, s, es; -> s, se",
        "KN": "-> s ... -> e; <- e, ee, se",
        "KK": "-> s; <- s ... -> e, es, ss; <- e, ee, se",
        "KX": "-> s ... -> e; <- e, ee, se, s, es",
        "IN": "-> e, s; <- e, ee, se",
        "IK": "<- s ... -> e, es, s, ss; <- e, ee, se",
        "IX": "-> e, s; <- e, ee, se, s, es",
        "NK1": "<- s ... -> e; <- e, ee, es",
        "NX1": "-> e; <- e, ee, s; -> es",
        "X1N": "-> e; <- e, ee; -> s; <- se",
        "X1K": "<- s ... -> e, es; <- e, ee; -> s; <- se",
        "XK1": "<- s ... -> e; <- e, ee, es; -> s, se",
        "X1K1": "<- s ... -> e; <- e, ee, es; -> s; <- se",
        "X1X": "-> e; <- e, ee, s, es; -> s; <- se",
        "XX1": "-> e; <- e, ee, s; -> es, s, se",
        "X1X1": "-> e; <- e, ee, s; -> es, s; <- se",
        "K1N": "-> s ... -> e; <- e, ee; -> se",
        "K1K": "-> s; <- s ... -> e, es; <- e, ee; -> se",
        "KK1": "-> s; <- s ... -> e; <- e, ee, se, es",
        "K1K1": "-> s; <- s ... -> e; <- e, ee, es; -> se",
        "K1X": "-> s ... -> e; <- e, ee, s, es; -> se",
        "KX1": "-> s ... -> e; <- e, ee, se, s; -> es",
        "K1X1": "-> s ... -> e; <- e, ee, s; -> se, es",
        "I1N": "-> e, s; <- e, ee; -> se",
        "I1K": "<- s ... -> e, es, s; <- e, ee; -> se",
        "IK1": "<- s ... -> e, s; <- e, ee, se, es",
        "I1K1": "<- s ... -> e, s; <- e, ee, es; -> se",
        "I1X": "-> e, s; <- e, ee, s, es; -> se",
        "IX1": "-> e, s; <- e, ee, se, s; -> es",
        "I1X1": "-> e, s; <- e, ee, s; -> se, es",
    ]
}
