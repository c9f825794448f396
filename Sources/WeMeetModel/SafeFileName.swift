import Foundation

/// A peer's file name made safe to show and to save under (API.md, "Attachment content"):
/// the last path component only; no control characters (C0, DEL, C1), no format characters
/// (Unicode category Cf: bidi overrides and isolates such as U+202E, which make
/// `gnp.exe` look like `exe.png`, zero-width characters, the BOM), no line or paragraph
/// separators, no backslash, no leading dots; at most 255 UTF-8 bytes, cut on a character.
public enum SafeFileName {
    /// The cleaned name, or `fallback` when nothing is left.
    public static func clean(_ name: String, fallback: String = "attachment") -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? ""
        let kept = last.unicodeScalars.filter { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                return false
            default:
                return scalar != "\\"
            }
        }
        var text = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces)
        while text.hasPrefix(".") { text.removeFirst() }
        var cut = ""
        for character in text {
            guard cut.utf8.count + String(character).utf8.count <= 255 else { break }
            cut.append(character)
        }
        return cut.isEmpty ? fallback : cut
    }

    /// The `n`th alternative to `name` when it is taken: `beach (1).jpg`, `beach (2).jpg`.
    public static func numbered(_ name: String, _ n: Int) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "\(name) (\(n))" }
        return "\(name[..<dot]) (\(n))\(name[dot...])"
    }
}
