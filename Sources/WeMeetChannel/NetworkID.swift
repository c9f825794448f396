import WeMeetCrypto

/// The 32-byte ID of a WeMeet network, bound into every handshake's prologue so that nodes of
/// different networks (or other applications speaking Noise) never complete a handshake.
///
/// `NetworkID(name:)` is BLAKE2b-256 of `"WeMeet network " ‖ name`; the default network's
/// name is `default` (Protocol.md §4.2).
public struct NetworkID: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes.
    public let rawValue: [UInt8]

    /// The network called `name`.
    public init(name: String) {
        rawValue = Blake2b.hash(Array("WeMeet network \(name)".utf8), length: .bytes32)
    }

    /// The network everyone is on unless told otherwise.
    public static let `default` = NetworkID(name: "default")

    public var description: String { Hex.encode(rawValue.prefix(8)) }
}
