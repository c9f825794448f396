import WeMeetCrypto

/// The payloads carried inside the three Noise XX handshake messages (Protocol.md §4.4).
///
/// All integers are big-endian; every payload may be followed by extension bytes, which
/// this version ignores (so later versions can append fields).
package enum HandshakePayload: Equatable, Sendable {
    /// Message 1, in the clear: the initiator's version range.
    case hello(minimumVersion: UInt16, maximumVersion: UInt16)
    /// Message 2: the responder accepts, with the chosen version and its identity.
    case accept(version: UInt16, identity: Ed25519.PublicKey, name: String)
    /// Message 2: the responder refuses, with a close code and a readable reason.
    case refuse(code: CloseCode, reason: String)
    /// Message 3: the initiator's identity.
    case identity(identity: Ed25519.PublicKey, name: String)

    package static let helloKind: UInt8 = 0x01
    package static let acceptKind: UInt8 = 0x02
    package static let refuseKind: UInt8 = 0x03
    package static let identityKind: UInt8 = 0x04
    /// The longest refusal reason, in bytes.
    package static let maximumReasonLength = 512

    package func encoded() -> [UInt8] {
        var out = ByteWriter()
        switch self {
        case .hello(let minimum, let maximum):
            out.u8(Self.helloKind)
            out.u16(minimum)
            out.u16(maximum)
        case .accept(let version, let identity, let name):
            out.u8(Self.acceptKind)
            out.u16(version)
            out.bytes(identity.rawRepresentation)
            out.shortString(name)
        case .refuse(let code, let reason):
            out.u8(Self.refuseKind)
            out.u16(code.rawValue)
            let text = Array(reason.utf8.prefix(Self.maximumReasonLength))
            out.u16(UInt16(text.count))
            out.bytes(text)
        case .identity(let identity, let name):
            out.u8(Self.identityKind)
            out.bytes(identity.rawRepresentation)
            out.shortString(name)
        }
        return out.bytes
    }

    /// Decodes a payload; `expected` lists the kinds allowed at this point of the handshake.
    package static func decode(_ bytes: [UInt8], expected: Set<UInt8>) throws(SecureChannelError) -> HandshakePayload {
        var reader = ByteReader(bytes)
        do {
            let kind = try reader.u8()
            guard expected.contains(kind) else {
                throw ByteReader.Failure(message: "unexpected handshake payload kind \(kind)")
            }
            switch kind {
            case helloKind:
                let minimum = try reader.u16()
                let maximum = try reader.u16()
                guard minimum <= maximum else {
                    throw ByteReader.Failure(message: "version range \(minimum)-\(maximum) is empty")
                }
                return .hello(minimumVersion: minimum, maximumVersion: maximum)
            case acceptKind:
                let version = try reader.u16()
                let identity = try Ed25519.PublicKey(rawRepresentation: try reader.bytes(32))
                return .accept(version: version, identity: identity, name: try reader.shortString())
            case refuseKind:
                let code = CloseCode(rawValue: try reader.u16())
                let length = Int(try reader.u16())
                guard length <= maximumReasonLength else {
                    throw ByteReader.Failure(message: "refusal reason of \(length) bytes is too long")
                }
                return .refuse(code: code, reason: String(decoding: try reader.bytes(length), as: UTF8.self))
            default:
                let identity = try Ed25519.PublicKey(rawRepresentation: try reader.bytes(32))
                return .identity(identity: identity, name: try reader.shortString())
            }
        } catch let failure as ByteReader.Failure {
            throw SecureChannelError(
                code: .protocolViolation, message: "malformed handshake payload: \(failure.message)")
        } catch {
            throw SecureChannelError(code: .protocolViolation, message: "malformed handshake payload: \(error)")
        }
    }
}
