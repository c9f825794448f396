import WeMeetCrypto

/// Noise's HandshakeState (§5.3) for `Noise_*_25519_ChaChaPoly_BLAKE2b`.
///
/// Create it with the pattern, role, prologue and whatever keys the pattern needs, then call
/// ``writeMessage(_:)`` and ``readMessage(_:)`` in turn. When ``isComplete`` the transport
/// ciphers are ready in ``transport``.
public struct NoiseHandshakeState: Sendable {
    /// The suite this implementation speaks.
    public static let suffix = "_25519_ChaChaPoly_BLAKE2b"
    /// Noise's maximum message length (§3).
    public static let maximumMessageLength = 65535
    package static let dhLength = X25519.keyLength

    /// The pattern in use.
    public let pattern: NoisePattern
    /// Whether this side is the initiator.
    public let isInitiator: Bool

    private var symmetric: NoiseSymmetricState
    private var localStatic: X25519.PrivateKey?
    private var localEphemeral: X25519.PrivateKey?
    /// The peer's static key: given in advance, or learned from a message.
    public private(set) var remoteStatic: X25519.PublicKey?
    private var remoteEphemeral: X25519.PublicKey?
    private var psks: [[UInt8]]
    private var messageIndex = 0

    /// The transport ciphers once the handshake is complete: (send, receive).
    public private(set) var transport: (send: NoiseCipherState, receive: NoiseCipherState)?

    /// The handshake hash h: after completion, a unique, secret-derived name for this session
    /// (channel binding, §11.2).
    public var handshakeHash: [UInt8] { symmetric.handshakeHash }

    /// Whether every handshake message has been written or read.
    public var isComplete: Bool { transport != nil }

    /// Whether the next call is ``writeMessage(_:)`` (true) or ``readMessage(_:)`` (false).
    public var isMyTurn: Bool {
        messageIndex < pattern.messages.count && pattern.messages[messageIndex].fromInitiator == isInitiator
    }

    /// Initialize() of §5.3.
    ///
    /// - Parameters:
    ///   - protocolName: e.g. `Noise_XX_25519_ChaChaPoly_BLAKE2b`.
    ///   - localEphemeral: only for test vectors; normally generated per handshake.
    ///   - psks: pre-shared keys (32 bytes each) in the order the pattern uses them.
    /// `Noise_XX_25519_ChaChaPoly_BLAKE2b` with this side's static key: XX has no pre-messages
    /// and no PSKs, so nothing can be missing or invalid and this cannot fail.
    public init(xx initiator: Bool, prologue: [UInt8], localStatic: X25519.PrivateKey) {
        pattern = .xx
        isInitiator = initiator
        symmetric = NoiseSymmetricState(protocolName: "Noise_XX" + Self.suffix)
        self.localStatic = localStatic
        psks = []
        symmetric.mixHash(prologue)
    }

    public init(
        protocolName: String, initiator: Bool, prologue: [UInt8],
        localStatic: X25519.PrivateKey? = nil, localEphemeral: X25519.PrivateKey? = nil,
        remoteStatic: X25519.PublicKey? = nil, remoteEphemeral: X25519.PublicKey? = nil,
        psks: [[UInt8]] = []
    ) throws(NoiseError) {
        guard protocolName.hasPrefix("Noise_"), protocolName.hasSuffix(Self.suffix) else {
            throw NoiseError(code: .unsupportedProtocol, message: "unsupported Noise protocol \(protocolName)")
        }
        let patternName = protocolName.dropFirst("Noise_".count).dropLast(Self.suffix.count)
        pattern = try NoisePattern(String(patternName))
        isInitiator = initiator
        symmetric = NoiseSymmetricState(protocolName: protocolName)
        self.localStatic = localStatic
        self.localEphemeral = localEphemeral
        self.remoteStatic = remoteStatic
        self.remoteEphemeral = remoteEphemeral
        self.psks = psks
        guard psks.allSatisfy({ $0.count == 32 }) else {
            throw NoiseError(code: .invalidKey, message: "a Noise PSK must be 32 bytes")
        }
        symmetric.mixHash(prologue)
        for message in pattern.preMessages {
            for token in message.tokens {
                let mine = message.fromInitiator == initiator
                let key: X25519.PublicKey? =
                    switch token {
                    case .s: mine ? localStatic?.publicKey : remoteStatic
                    case .e: mine ? localEphemeral?.publicKey : remoteEphemeral
                    default: nil
                    }
                guard let key else {
                    throw NoiseError(
                        code: .invalidKey, message: "pattern \(pattern.name) needs a pre-message \(token) key")
                }
                symmetric.mixHash(key.rawRepresentation)
            }
        }
    }

    /// WriteMessage(payload): the next handshake message, carrying `payload`.
    public mutating func writeMessage(_ payload: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard !isComplete, isMyTurn else {
            throw NoiseError(code: .invalidState, message: "not this side's turn to write a handshake message")
        }
        var out: [UInt8] = []
        for token in pattern.messages[messageIndex].tokens {
            switch token {
            case .e:
                let ephemeral = localEphemeral ?? X25519.PrivateKey()
                localEphemeral = ephemeral
                out += ephemeral.publicKey.rawRepresentation
                symmetric.mixHash(ephemeral.publicKey.rawRepresentation)
                if pattern.usesPSK { symmetric.mixKey(ephemeral.publicKey.rawRepresentation) }
            case .s:
                guard let localStatic else { throw missingKey("local static") }
                out += try symmetric.encryptAndHash(localStatic.publicKey.rawRepresentation)
            case .psk:
                try mixPSK()
            default:
                try mixDH(token)
            }
        }
        out += try symmetric.encryptAndHash(payload)
        guard out.count <= Self.maximumMessageLength else {
            throw NoiseError(code: .invalidMessage, message: "handshake message would exceed 65535 bytes")
        }
        advance()
        return out
    }

    /// ReadMessage(message): processes the peer's next handshake message; returns its payload.
    /// - Throws: ``NoiseError`` for a short, malformed or unauthentic message. The state is
    ///   then unusable: abandon the handshake.
    /// A received public key (its length already taken from the message).
    private static func publicKey(_ bytes: [UInt8], _ what: String) throws(NoiseError) -> X25519.PublicKey {
        guard let key = try? X25519.PublicKey(rawRepresentation: bytes) else {
            throw NoiseError(code: .invalidMessage, message: "handshake message: bad \(what)")
        }
        return key
    }

    public mutating func readMessage(_ message: some Collection<UInt8>) throws(NoiseError) -> [UInt8] {
        guard !isComplete, !isMyTurn, messageIndex < pattern.messages.count else {
            throw NoiseError(code: .invalidState, message: "not expecting a handshake message now")
        }
        guard message.count <= Self.maximumMessageLength else {
            throw NoiseError(code: .invalidMessage, message: "handshake message exceeds 65535 bytes")
        }
        var rest = ArraySlice(message)
        func take(_ count: Int, _ what: String) throws(NoiseError) -> [UInt8] {
            guard rest.count >= count else {
                throw NoiseError(code: .invalidMessage, message: "handshake message truncated in \(what)")
            }
            defer { rest = rest.dropFirst(count) }
            return Array(rest.prefix(count))
        }
        for token in pattern.messages[messageIndex].tokens {
            switch token {
            case .e:
                let bytes = try take(Self.dhLength, "ephemeral key")
                remoteEphemeral = try Self.publicKey(bytes, "ephemeral key")
                symmetric.mixHash(bytes)
                if pattern.usesPSK { symmetric.mixKey(bytes) }
            case .s:
                let length = Self.dhLength + (symmetric.cipher.hasKey ? NoiseCipherState.tagLength : 0)
                let bytes = try symmetric.decryptAndHash(try take(length, "static key"))
                remoteStatic = try Self.publicKey(bytes, "static key")
            case .psk:
                try mixPSK()
            default:
                try mixDH(token)
            }
        }
        let payload = try symmetric.decryptAndHash(Array(rest))
        advance()
        return payload
    }

    private mutating func mixPSK() throws(NoiseError) {
        guard !psks.isEmpty else { throw missingKey("PSK") }
        symmetric.mixKeyAndHash(psks.removeFirst())
    }

    private mutating func mixDH(_ token: NoisePattern.Token) throws(NoiseError) {
        // (local key, remote key) for each DH token; "es" means the initiator's e with the
        // responder's s, so the roles swap on the responder's side.
        let pair: (X25519.PrivateKey?, X25519.PublicKey?, String)
        switch (token, isInitiator) {
        case (.ee, _): pair = (localEphemeral, remoteEphemeral, "ee")
        case (.ss, _): pair = (localStatic, remoteStatic, "ss")
        case (.es, true), (.se, false): pair = (localEphemeral, remoteStatic, token.rawValue)
        case (.es, false), (.se, true): pair = (localStatic, remoteEphemeral, token.rawValue)
        default: return
        }
        guard let local = pair.0, let remote = pair.1 else { throw missingKey("the keys for \(pair.2)") }
        do {
            symmetric.mixKey(try local.sharedSecret(with: remote).unsafeCopy)
        } catch {
            throw NoiseError(code: .invalidKey, message: "DH \(pair.2) with a low-order point")
        }
    }

    private mutating func advance() {
        messageIndex += 1
        if messageIndex == pattern.messages.count {
            let (c1, c2) = symmetric.split()
            transport = isInitiator ? (c1, c2) : (c2, c1)
        }
    }

    private func missingKey(_ what: String) -> NoiseError {
        NoiseError(code: .invalidKey, message: "pattern \(pattern.name) needs \(what), which was not provided")
    }
}
