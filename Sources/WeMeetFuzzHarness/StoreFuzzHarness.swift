import Foundation
import WeMeetChannel
import WeMeetCrypto
import WeMeetStore

/// Entry points for fuzzing the store's parsers (`FuzzTesting/`, libFuzzer) and for the
/// seeded smoke run in `swift test`. Not shipped: only the fuzz targets and the smoke tests link it.
public enum StoreFuzzHarness {
    /// Decodes `data` as an entry and verifies it; must return or throw, never trap.
    public static func entry(_ data: [UInt8]) {
        if let entry = try? Entry(decoding: data) {
            _ = try? entry.verifySignature()
            _ = entry.feedID
        }
    }

    /// Writes `data` as a log file after a valid header and opens it as a store: recovery
    /// must classify any bytes (clean, torn tail, corrupt) without trapping.
    public static func log(_ data: [UInt8], directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/log", contents: Data(LogFile.header + data))
        _ = try? Store(directory: directory)
    }
}
