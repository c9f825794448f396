import Foundation

/// Text from other nodes made safe for a terminal: control characters (C0, DEL, C1 — so ESC,
/// CSI, OSC, BEL, CR) and bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) are shown as visible escapes (`\x1B`, `\u{202E}`), so a peer's name or
/// message can neither drive the terminal (clear it, set its title, hide text) nor reorder
/// what is printed around it. `--json` output is never passed through this: it stays exact.
enum TerminalText {
    /// `text` with every unsafe character escaped; with `keepingNewlines`, line feeds stay
    /// (for whole outputs whose lines this program made).
    static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) && !(keepingNewlines && $0 == "\n") }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if !isUnsafe(scalar) || (keepingNewlines && scalar == "\n") {
                out.append(scalar)
                continue
            }
            let visible: String
            switch scalar {
            case "\n": visible = "\\n"
            case "\r": visible = "\\r"
            case "\t": visible = "\\t"
            case _ where scalar.value <= 0xFF: visible = String(format: "\\x%02X", scalar.value)
            default: visible = String(format: "\\u{%04X}", scalar.value)
            }
            out.append(contentsOf: visible.unicodeScalars)
        }
        return String(out)
    }

    /// Whether `scalar` must not reach a terminal as is.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

extension String {
    /// This text (from another node) escaped for one line of terminal output (newlines too).
    var shown: String { TerminalText.escaped(self) }
}

/// Prints a line this program composed; whatever came from other nodes in it was escaped
/// with ``Swift/String/shown``, and this escapes anything that slipped through except the
/// program's own line breaks.
func show(_ text: String) {
    print(TerminalText.escaped(text, keepingNewlines: true))
    // A line at a time even into a pipe: a live view (`wemeet chat | …`) is read as it comes.
    fflush(nil)
}

/// Writes a progress or notice line to stderr, escaped like ``show(_:)``.
func notice(_ text: String) {
    FileHandle.standardError.write(Data((TerminalText.escaped(text, keepingNewlines: true) + "\n").utf8))
}
