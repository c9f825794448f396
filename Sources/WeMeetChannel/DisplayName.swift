import Foundation
import WeMeetCrypto

/// The rules for display names (Protocol.md §2), for names a node chooses and for names it
/// receives from others (the handshake, §4.4; the radar, §5.3).
///
/// A received name that breaks them is **replaced**, not refused: the name is a label that
/// proves nothing, so refusing the channel would only cut off a node (perhaps an older or
/// buggy one) for a cosmetic reason, while a hostile node can pick a valid misleading name
/// anyway. The replacement, `node` and the node ID's short form, keeps the node reachable and
/// shows plainly that it sent no usable name.
public enum DisplayName {
    /// The longest display name, in UTF-8 bytes (it must fit a DNS-SD instance name, 63 bytes,
    /// with a short node-ID suffix).
    public static let maximumLength = 48

    /// What is wrong with `name` (already trimmed), or nil when it keeps the rules: 1 to 48
    /// bytes of UTF-8, no control characters (Unicode category Cc: C0, DEL, C1), no bidi
    /// overrides or isolates (U+202A–U+202E, U+2066–U+2069).
    public static func problem(in name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name.utf8.count > maximumLength {
            return "the name is \(name.utf8.count) bytes; at most \(maximumLength) (UTF-8) are allowed"
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "the name contains control characters"
        }
        if name.unicodeScalars.contains(where: isBidiControl) {
            return "the name contains bidirectional override or isolate characters"
        }
        return nil
    }

    /// Whether `scalar` is a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// The name to show for a name received from `nodeID`: trimmed if it keeps the rules, else
    /// `node XXXXXXX` (the node ID's short form).
    public static func received(_ name: String, from nodeID: NodeID) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return problem(in: trimmed) == nil ? trimmed : "node \(nodeID.shortForm)"
    }
}
