import WeMeetChannel
import WeMeetCrypto
import WeMeetModel
import WeMeetPeers
import WeMeetStore
import WeMeetSync

/// Pairing messages on a secure channel (Protocol.md §6.3). Each is one application message
/// whose first byte is its type.
public enum PairMessage: Equatable, Sendable {
    /// `0x01 ‖ u8 pressing`: "I am (not) pressing pair now".
    case hello(pressing: Bool)
    /// `0x02 ‖ bytes[32] commitment`.
    case commit([UInt8])
    /// `0x03 ‖ bytes[32] nonce`.
    case reveal([UInt8])
    /// `0x04`: "I choose you" (sent at most once per press).
    case confirm
    /// `0x05 ‖ u8 reason`: "I will not pair with you in this press".
    case decline(DeclineReason)
    /// `0x06`: "I removed you from my friends" (sent when an unpaired node connects).
    case unpaired

    /// Why a node will not pair with the receiver in this press.
    public enum DeclineReason: UInt8, Sendable {
        case severalPressed = 1
        case windowEnded = 2
        case pairedWithAnother = 3
        case cancelled = 4
        case commitmentMismatch = 5
        /// The receiver sent a pairing message its exchange's state does not accept (§6.3).
        case outOfOrder = 6
    }

    /// Application message types 0x01–0x0F belong to pairing and friendship.
    public static func isPairing(_ type: UInt8) -> Bool { (0x01...0x0F).contains(type) }

    /// The message's encoding.
    public var bytes: [UInt8] {
        switch self {
        case .hello(let pressing): [0x01, pressing ? 1 : 0]
        case .commit(let commitment): [0x02] + commitment
        case .reveal(let nonce): [0x03] + nonce
        case .confirm: [0x04]
        case .decline(let reason): [0x05, reason.rawValue]
        case .unpaired: [0x06]
        }
    }

    /// Parses a message; the error says what is wrong with it.
    public init(bytes: [UInt8]) throws(NodeError) {
        func invalid(_ why: String) -> NodeError {
            NodeError(code: .protocolViolation, message: "invalid pairing message: \(why)")
        }
        guard let type = bytes.first else { throw invalid("empty") }
        let body = bytes.dropFirst()
        switch type {
        case 0x01:
            guard body.count == 1, body.first! <= 1 else { throw invalid("hello needs one byte, 0 or 1") }
            self = .hello(pressing: body.first! == 1)
        case 0x02:
            guard body.count == 32 else { throw invalid("commit needs 32 bytes, got \(body.count)") }
            self = .commit(Array(body))
        case 0x03:
            guard body.count == 32 else { throw invalid("reveal needs 32 bytes, got \(body.count)") }
            self = .reveal(Array(body))
        case 0x04:
            guard body.isEmpty else { throw invalid("confirm has no body") }
            self = .confirm
        case 0x05:
            guard body.count == 1, let reason = DeclineReason(rawValue: body.first!) else {
                throw invalid("unknown decline reason")
            }
            self = .decline(reason)
        case 0x06:
            guard body.isEmpty else { throw invalid("unpaired has no body") }
            self = .unpaired
        default:
            throw invalid("unknown type 0x\(Hex.encode([type]))")
        }
    }
}

/// The commit–reveal short authentication code (Protocol.md §6.4).
public enum PairingCode {
    /// Bytes of a pairing nonce.
    public static let nonceLength = 32

    /// `BLAKE2b-256("WeMeet pair commit" ‖ h ‖ nonce)`.
    public static func commitment(handshakeHash: [UInt8], nonce: [UInt8]) -> [UInt8] {
        Blake2b.hash(Array("WeMeet pair commit".utf8) + handshakeHash + nonce, length: .bytes32)
    }

    /// Six decimal digits: the first 4 bytes of `BLAKE2b-256("WeMeet pair code" ‖ h ‖
    /// nonce_initiator ‖ nonce_responder)` as a big-endian integer, modulo 1 000 000.
    public static func code(handshakeHash: [UInt8], initiatorNonce: [UInt8], responderNonce: [UInt8]) -> String {
        let digest = Blake2b.hash(
            Array("WeMeet pair code".utf8) + handshakeHash + initiatorNonce + responderNonce, length: .bytes32)
        let value = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } % 1_000_000
        let digits = String(value)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// `482913` → `482 913`, as people compare it.
    package static func display(_ code: String) -> String {
        code.count == 6 ? "\(code.prefix(3)) \(code.suffix(3))" : code
    }
}
