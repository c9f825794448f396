import WeMeetCrypto

/// WeMeet's handshake (Protocol.md §4.3–4.4) as a transport-independent state machine:
/// `Noise_XX_25519_ChaChaPoly_BLAKE2b` with the WeMeet prologue, version negotiation in
/// message 1–2, and identity binding in messages 2–3.
///
/// Feed it each received handshake message; it says what to send and when the channel is
/// established. Any error ends the handshake; the connection must then be closed.
package struct ChannelHandshake: Sendable {
    /// The Noise protocol name.
    package static let protocolName = "Noise_XX_25519_ChaChaPoly_BLAKE2b"
    /// The fixed start of the prologue.
    package static let prologueLabel = Array("WeMeet channel".utf8)
    /// The prologue format version (not the protocol version, which is negotiated).
    package static let prologueVersion: UInt8 = 1

    /// What to do after a step.
    package struct Output: Sendable {
        /// A handshake message to send now, if any.
        package var reply: [UInt8]?
        /// Set when the handshake is complete: the peer and the transport ciphers.
        package var established: Established?
        /// Set when the handshake failed after producing `reply` (a refusal): send the reply,
        /// then `farewell` if any, then close with this error.
        package var failure: SecureChannelError?
        /// A transport message carrying a CLOSE record, sent after `reply` when the handshake
        /// completed but the peer is refused (an identity that does not bind, or this node
        /// itself, Protocol.md §4.3): the peer learns the close code.
        package var farewell: [UInt8]?
    }

    /// A completed handshake.
    package struct Established: Sendable {
        package var peer: PeerInfo
        package var send: NoiseCipherState
        package var receive: NoiseCipherState
    }

    private var noise: NoiseHandshakeState
    private let credentials: ChannelCredentials
    private let configuration: ChannelConfiguration
    private let remoteAddress: String
    private var version: UInt16 = 0
    private var peerIdentity: (Ed25519.PublicKey, String)?

    /// The prologue for `network`: `"WeMeet channel" ‖ 0x01 ‖ network ID`.
    package static func prologue(network: NetworkID) -> [UInt8] {
        prologueLabel + [prologueVersion] + network.rawValue
    }

    package init(
        initiator: Bool, credentials: ChannelCredentials, configuration: ChannelConfiguration, remoteAddress: String
    ) {
        noise = NoiseHandshakeState(
            xx: initiator, prologue: Self.prologue(network: configuration.network), localStatic: credentials.staticKey)
        self.credentials = credentials
        self.configuration = configuration
        self.remoteAddress = remoteAddress
    }

    /// The initiator's first message.
    package mutating func start() throws(SecureChannelError) -> [UInt8] {
        let hello = HandshakePayload.hello(
            minimumVersion: configuration.minimumVersion, maximumVersion: configuration.maximumVersion)
        return try write(hello)
    }

    /// Processes the peer's next handshake message.
    package mutating func receive(_ message: [UInt8]) throws(SecureChannelError) -> Output {
        let payload: [UInt8]
        do {
            payload = try noise.readMessage(message)
        } catch {
            throw SecureChannelError(
                code: .handshakeFailed,
                message: "handshake failed: \(error.message) (a different network, or not a WeMeet node?)")
        }
        if noise.isInitiator {
            return try initiatorReceivedMessage2(payload)
        }
        if !noise.isComplete {
            return try responderReceivedHello(payload)
        }
        return try responderReceivedIdentity(payload)
    }

    private mutating func responderReceivedHello(_ payload: [UInt8]) throws(SecureChannelError) -> Output {
        guard
            case .hello(let theirMinimum, let theirMaximum) = try HandshakePayload.decode(
                payload, expected: [HandshakePayload.helloKind])
        else {
            fatalError("decode returned an unexpected kind")
        }
        let chosen = min(theirMaximum, configuration.maximumVersion)
        guard chosen >= max(theirMinimum, configuration.minimumVersion) else {
            let reason =
                "this node speaks WeMeet protocol versions \(configuration.minimumVersion)-\(configuration.maximumVersion); "
                + "the peer offered \(theirMinimum)-\(theirMaximum)"
            let refusal = try write(.refuse(code: .versionMismatch, reason: reason))
            return Output(
                reply: refusal,
                failure: SecureChannelError(
                    code: .versionMismatch, message: "refused \(remoteAddress): \(reason)", closeCode: .versionMismatch)
            )
        }
        version = chosen
        let accept = HandshakePayload.accept(
            version: chosen, identity: credentials.identityKey.publicKey, name: credentials.displayName)
        return Output(reply: try write(accept))
    }

    private mutating func initiatorReceivedMessage2(_ payload: [UInt8]) throws(SecureChannelError) -> Output {
        let decoded = try HandshakePayload.decode(
            payload, expected: [HandshakePayload.acceptKind, HandshakePayload.refuseKind])
        switch decoded {
        case .refuse(let code, let reason):
            throw SecureChannelError(
                code: code == .versionMismatch ? .versionMismatch : .refused,
                message: "\(remoteAddress) refused the connection: \(reason)", closeCode: code)
        case .accept(let chosen, let identity, let name):
            guard (configuration.minimumVersion...configuration.maximumVersion).contains(chosen) else {
                throw SecureChannelError(
                    code: .versionMismatch,
                    message:
                        "\(remoteAddress) chose protocol version \(chosen), outside our \(configuration.minimumVersion)-\(configuration.maximumVersion)"
                )
            }
            version = chosen
            let refusal = binding(identity, name: name)
            let reply = try write(.identity(identity: credentials.identityKey.publicKey, name: credentials.displayName))
            if let refusal { return try refused(refusal, reply: reply) }
            return Output(reply: reply, established: try established())
        default:
            fatalError("decode returned an unexpected kind")
        }
    }

    private mutating func responderReceivedIdentity(_ payload: [UInt8]) throws(SecureChannelError) -> Output {
        guard
            case .identity(let identity, let name) = try HandshakePayload.decode(
                payload, expected: [HandshakePayload.identityKind])
        else {
            fatalError("decode returned an unexpected kind")
        }
        if let refusal = binding(identity, name: name) { return try refused(refusal, reply: nil) }
        return Output(established: try established())
    }

    /// Checks that `identity` is the key behind the Noise static key the peer proved it holds,
    /// and not this node's own; returns the refusal, or nil after noting the peer.
    private mutating func binding(_ identity: Ed25519.PublicKey, name: String) -> SecureChannelError? {
        guard let remoteStatic = noise.remoteStatic, let converted = try? identity.curve25519(),
            converted == remoteStatic
        else {
            return SecureChannelError(
                code: .identityMismatch,
                message: "\(remoteAddress) claimed identity \(NodeID(publicKey: identity)) without holding its key",
                closeCode: .protocolError)
        }
        guard identity != credentials.identityKey.publicKey else {
            return SecureChannelError(
                code: .identityMismatch, message: "\(remoteAddress) is this node itself", closeCode: .selfConnection)
        }
        peerIdentity = (identity, name)
        return nil
    }

    /// The handshake is complete but the peer is refused: the first transport message is a
    /// CLOSE record with the refusal's code (§4.3, §4.7), so the peer learns why.
    private func refused(_ refusal: SecureChannelError, reply: [UInt8]?) throws(SecureChannelError) -> Output {
        guard var transport = noise.transport, let code = refusal.closeCode else {
            throw refusal
        }
        let reason = refusal.closeCode == .selfConnection ? "connected to itself" : "identity does not match the key"
        do {
            let farewell = try transport.send.encrypt(ChannelRecord.close(code, reason).encoded())
            return Output(reply: reply, failure: refusal, farewell: farewell)
        } catch {
            throw refusal
        }
    }

    private func established() throws(SecureChannelError) -> Established {
        guard let transport = noise.transport, let (identity, name) = peerIdentity else {
            throw SecureChannelError(code: .protocolViolation, message: "handshake incomplete")
        }
        // A name that breaks §2's rules is replaced, never shown (DisplayName).
        let nodeID = NodeID(publicKey: identity)
        let peer = PeerInfo(
            nodeID: nodeID, displayName: DisplayName.received(name, from: nodeID), protocolVersion: version,
            handshakeHash: noise.handshakeHash, isInitiator: noise.isInitiator, remoteAddress: remoteAddress)
        return Established(peer: peer, send: transport.send, receive: transport.receive)
    }

    private mutating func write(_ payload: HandshakePayload) throws(SecureChannelError) -> [UInt8] {
        do {
            return try noise.writeMessage(payload.encoded())
        } catch {
            throw SecureChannelError(code: .handshakeFailed, message: "handshake failed: \(error.message)")
        }
    }
}
