import WeMeetModel

/// The one presence message (Protocol.md §9.5): `0x30` ‖ `u8 state`, 1 "typing", 0
/// "stopped". Sent on the channel between two friends, never stored.
package struct TypingMessage: Equatable, Sendable {
    /// The message type.
    package static let type: UInt8 = 0x30

    /// Whether the sender is typing (`1`) or stopped (`0`).
    package var typing: Bool

    package init(typing: Bool) { self.typing = typing }

    /// Whether an application message's first byte is of the presence range `0x30`–`0x3F`.
    package static func isPresence(_ type: UInt8) -> Bool { (0x30...0x3F).contains(type) }

    /// The message's bytes.
    package var bytes: [UInt8] { [Self.type, typing ? 1 : 0] }

    /// Parses a presence message; `nil` for an undefined type (ignored, §9.5).
    /// - Throws: a ``NodeError`` for a TYPING of the wrong length or an undefined state.
    package init?(bytes: [UInt8]) throws(NodeError) {
        guard bytes.first == Self.type else { return nil }
        guard bytes.count == 2 else {
            throw NodeError(code: .protocolViolation, message: "TYPING is 2 bytes, not \(bytes.count)")
        }
        guard bytes[1] <= 1 else {
            throw NodeError(code: .protocolViolation, message: "TYPING state \(bytes[1]) is not 0 or 1")
        }
        typing = bytes[1] == 1
    }
}
