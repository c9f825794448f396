import Foundation
import Testing
import WeMeetCrypto

@testable import WeMeetChannel

/// The official Noise test vectors for `25519_ChaChaPoly_BLAKE2b` (the cacophony/snow set in
/// `../shared/vectors`, copied into `Vectors/`), run straight from the file: every pattern,
/// fundamental, deferred and PSK.
@Suite("Noise test vectors")
struct NoiseVectorTests {
    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        var protocolName: String?
        var name: String?
        var initPrologue: String
        var initPsks: [String]?
        var initStatic: String?
        var initEphemeral: String
        var initRemoteStatic: String?
        var respPrologue: String
        var respPsks: [String]?
        var respStatic: String?
        var respEphemeral: String?
        var respRemoteStatic: String?
        var handshakeHash: String?
        var messages: [Message]

        struct Message: Decodable, Sendable {
            var payload: String
            var ciphertext: String
        }

        var fullName: String { protocolName ?? name ?? "" }
        var testDescription: String { fullName }
    }

    struct File: Decodable {
        var vectors: [Vector]
    }

    static let vectors: [Vector] = {
        let url = Bundle.module.url(
            forResource: "noise-25519-chachapoly-blake2b", withExtension: "json", subdirectory: "Vectors")!
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(File.self, from: Data(contentsOf: url)).vectors
    }()

    @Test func theFileHasTheRequiredPatterns() {
        let names = Set(Self.vectors.map(\.fullName))
        for pattern in ["XX", "NN", "NK", "KK", "IK", "XN"] {
            #expect(names.contains("Noise_\(pattern)_25519_ChaChaPoly_BLAKE2b"))
        }
    }

    @Test("vector", arguments: vectors)
    func vector(_ vector: Vector) throws {
        func key(_ hexString: String?) throws -> X25519.PrivateKey? {
            guard let hexString else { return nil }
            return try X25519.PrivateKey(secret: SecureBytes(Hex.decode(hexString)))
        }
        func publicKey(_ hexString: String?) throws -> X25519.PublicKey? {
            guard let hexString else { return nil }
            return try X25519.PublicKey(rawRepresentation: Hex.decode(hexString))
        }
        var initiator = try NoiseHandshakeState(
            protocolName: vector.fullName, initiator: true, prologue: Hex.decode(vector.initPrologue),
            localStatic: key(vector.initStatic), localEphemeral: key(vector.initEphemeral),
            remoteStatic: publicKey(vector.initRemoteStatic),
            psks: (vector.initPsks ?? []).map { try Hex.decode($0) })
        var responder = try NoiseHandshakeState(
            protocolName: vector.fullName, initiator: false, prologue: Hex.decode(vector.respPrologue),
            localStatic: key(vector.respStatic), localEphemeral: key(vector.respEphemeral),
            remoteStatic: publicKey(vector.respRemoteStatic),
            psks: (vector.respPsks ?? []).map { try Hex.decode($0) })

        var initiatorTransport: (send: NoiseCipherState, receive: NoiseCipherState)?
        var responderTransport: (send: NoiseCipherState, receive: NoiseCipherState)?
        let oneWay = initiator.pattern.isOneWay
        for (index, message) in vector.messages.enumerated() {
            let payload = try Hex.decode(message.payload)
            let expected = try Hex.decode(message.ciphertext)
            if !initiator.isComplete {
                let initiatorWrites = initiator.isMyTurn
                var writer = initiatorWrites ? initiator : responder
                var reader = initiatorWrites ? responder : initiator
                let written = try writer.writeMessage(payload)
                #expect(written == expected, "handshake message \(index)")
                #expect(try reader.readMessage(written) == payload, "handshake message \(index) read back")
                (initiator, responder) = initiatorWrites ? (writer, reader) : (reader, writer)
                if initiator.isComplete {
                    #expect(responder.isComplete)
                    if let hash = vector.handshakeHash {
                        #expect(initiator.handshakeHash == (try Hex.decode(hash)))
                        #expect(responder.handshakeHash == initiator.handshakeHash)
                    }
                    initiatorTransport = initiator.transport
                    responderTransport = responder.transport
                }
                continue
            }
            // Transport: senders keep alternating by message index, the initiator on even
            // indices (so after XX's three messages the responder sends first), except in
            // one-way patterns, where only the initiator sends.
            let initiatorSends = oneWay || index % 2 == 0
            if initiatorSends {
                let written = try initiatorTransport!.send.encrypt(payload)
                #expect(written == expected, "transport message \(index)")
                #expect(try responderTransport!.receive.decrypt(written) == payload)
            } else {
                let written = try responderTransport!.send.encrypt(payload)
                #expect(written == expected, "transport message \(index)")
                #expect(try initiatorTransport!.receive.decrypt(written) == payload)
            }
        }
        #expect(initiatorTransport != nil, "the handshake completed")
    }
}
