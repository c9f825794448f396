import Foundation

/// JSON as the control API writes it (sorted keys, ISO 8601 dates) and as its clients read
/// it: one encoder and one decoder, shared by the server, the CLI and the tests.
public enum ControlJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension ControlJSON {
    /// The encoder for people (`--json`): the API's, pretty-printed.
    public static let prettyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// The largest `limit` a list takes (API.md, "Errors").
    public static let maximumLimit = 1_000_000
}
