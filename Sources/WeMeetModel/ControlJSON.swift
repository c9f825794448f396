import Foundation

/// JSON as the control API writes it (sorted keys, RFC 3339 times by ``APITime``) and as its clients read
/// it: one encoder and one decoder, shared by the server, the CLI and the tests.
public enum ControlJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = timeEncoding
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = timeDecoding
        return decoder
    }()
}

extension ControlJSON {
    /// The encoder for people (`--json`): the API's, pretty-printed.
    public static let prettyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = timeEncoding
        return encoder
    }()

    /// The largest `limit` a list takes (API.md, "Errors").
    public static let maximumLimit = 1_000_000
}

extension ControlJSON {
    /// Writes a date as ``APITime/string(from:)``.
    static let timeEncoding = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(APITime.string(from: date))
    }

    /// Reads a date with ``APITime/date(from:)``.
    static let timeDecoding = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = APITime.date(from: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an RFC 3339 time such as 2026-11-22T08:00:00Z")
        }
        return date
    }
}
