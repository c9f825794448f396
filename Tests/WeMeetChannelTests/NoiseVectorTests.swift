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
        var protocol_name: String?
        var name: String?
        var init_prologue: String
        var init_psks: [String]?
        var init_static: String?
        var init_ephemeral: String
        var init_remote_static: String?
        var resp_prologue: String
        var resp_psks: [String]?
        var resp_static: String?
        var resp_ephemeral: String?
        var resp_remote_static: String?
        var handshake_hash: String?
        var messages: [Message]

        struct Message: Decodable, Sendable {
            var payload: String
            var ciphertext: String
        }

        var protocolName: String { protocol_name ?? name ?? "" }
        var testDescription: String { protocolName }
    }

    struct File: Decodable {
        var vectors: [Vector]
    }

    static let vectors: [Vector] = {
        let url = Bundle.module.url(
            forResource: "noise-25519-chachapoly-blake2b", withExtension: "json", subdirectory: "Vectors")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).vectors
    }()

    @Test func theFileHasTheRequiredPatterns() {
        let names = Set(Self.vectors.map(\.protocolName))
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
            protocolName: vector.protocolName, initiator: true, prologue: Hex.decode(vector.init_prologue),
            localStatic: key(vector.init_static), localEphemeral: key(vector.init_ephemeral),
            remoteStatic: publicKey(vector.init_remote_static),
            psks: (vector.init_psks ?? []).map { try Hex.decode($0) })
        var responder = try NoiseHandshakeState(
            protocolName: vector.protocolName, initiator: false, prologue: Hex.decode(vector.resp_prologue),
            localStatic: key(vector.resp_static), localEphemeral: key(vector.resp_ephemeral),
            remoteStatic: publicKey(vector.resp_remote_static),
            psks: (vector.resp_psks ?? []).map { try Hex.decode($0) })

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
                    if let hash = vector.handshake_hash {
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
