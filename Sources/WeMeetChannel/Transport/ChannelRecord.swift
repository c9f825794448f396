/// The plaintext of one Noise transport message (Protocol.md §4.5): a type byte and a body.
package enum ChannelRecord: Equatable, Sendable {
    /// A fragment of an application message; more fragments follow.
    case dataMore([UInt8])
    /// The last (or only) fragment of an application message.
    case dataEnd([UInt8])
    /// A keepalive; answered with ``pong``.
    case ping
    /// The answer to a ``ping``.
    case pong
    /// The sender is closing the channel, and why.
    case close(CloseCode, String)

    package static let dataMoreType: UInt8 = 0x00
    package static let dataEndType: UInt8 = 0x01
    package static let pingType: UInt8 = 0x02
    package static let pongType: UInt8 = 0x03
    package static let closeType: UInt8 = 0x04

    /// Bytes of plaintext in one Noise transport message: 65535 − 16 (tag).
    package static let maximumPlaintext = NoiseHandshakeState.maximumMessageLength - NoiseCipherState.tagLength
    /// Bytes of application data in one record: the plaintext minus the type byte.
    package static let maximumFragment = maximumPlaintext - 1
    /// The longest close reason, in bytes.
    package static let maximumReasonLength = 512

    package func encoded() -> [UInt8] {
        var out = ByteWriter()
        switch self {
        case .dataMore(let data):
            out.u8(Self.dataMoreType)
            out.bytes(data)
        case .dataEnd(let data):
            out.u8(Self.dataEndType)
            out.bytes(data)
        case .ping: out.u8(Self.pingType)
        case .pong: out.u8(Self.pongType)
        case .close(let code, let reason):
            out.u8(Self.closeType)
            out.u16(code.rawValue)
            out.bytes(reason.utf8.prefix(Self.maximumReasonLength))
        }
        return out.bytes
    }

    /// Decodes a record's plaintext.
    package static func decode(_ plaintext: some Collection<UInt8>) throws(SecureChannelError) -> ChannelRecord {
        var bytes = ByteReader(Array(plaintext))
        do {
            let type = try bytes.u8()
            switch type {
            case dataMoreType: return .dataMore(try bytes.bytes(bytes.remaining))
            case dataEndType: return .dataEnd(try bytes.bytes(bytes.remaining))
            case pingType: return .ping
            case pongType: return .pong
            case closeType:
                let code = CloseCode(rawValue: try bytes.u16())
                let reason = try bytes.bytes(min(bytes.remaining, maximumReasonLength))
                return .close(code, String(decoding: reason, as: UTF8.self))
            default:
                throw ByteReader.Failure(message: "unknown record type \(type)")
            }
        } catch let failure as ByteReader.Failure {
            throw SecureChannelError(code: .protocolViolation, message: "malformed record: \(failure.message)")
        } catch {
            throw SecureChannelError(code: .protocolViolation, message: "malformed record: \(error)")
        }
    }
}
