import Foundation
import WeMeetChannel
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetGroups
import WeMeetModel
import WeMeetNode
import WeMeetStore
import WeMeetSync

/// Entry points for fuzzing the node's parsers (`FuzzTesting/`, libFuzzer) and for the
/// seeded smoke run in `swift test`: sync and pairing messages, DNS-SD TXT records, and the
/// control API's JSON bodies. Each must return or throw for any bytes, never trap. Not shipped:
/// only the fuzz targets and the smoke tests link it.
public enum NodeFuzzHarness {
    /// Parses `data` as a sync message and as a pairing message; whatever parses must
    /// encode back to the same bytes.
    public static func messages(_ data: [UInt8]) {
        if let message = try? SyncMessage(bytes: data) {
            precondition(message.bytes == data, "a sync message does not round-trip")
        }
        if let message = try? PairMessage(bytes: data) {
            precondition(message.bytes == data, "a pairing message does not round-trip")
        }
    }

    /// Parses `data` as a TXT record and as a node record; a parsed record must round-trip.
    public static func txt(_ data: [UInt8]) {
        guard let record = try? TXTRecord(bytes: data) else { return }
        _ = try? NodeRecord(txt: record)
        _ = try? TXTRecord(bytes: record.bytes)
    }

    /// Decodes `data` as each control API request body and checks the numbers, times and names
    /// in it as the routes do; also reads it as a message list (as the CLI does), as a list of
    /// times, and as a `limit` and a `since` query value.
    public static func controlJSON(_ data: [UInt8]) {
        let decoder = ControlJSON.decoder
        let body = Data(data)
        _ = try? decoder.decode(ControlAPI.AddPeer.self, from: body)
        _ = try? decoder.decode(ControlAPI.Press.self, from: body)
        _ = try? decoder.decode(ControlAPI.Choice.self, from: body)
        _ = try? decoder.decode(ControlAPI.SendText.self, from: body)
        if let peer = try? decoder.decode(ControlAPI.AddPeer.self, from: body) {
            _ = try? PeerAddress(parsing: peer.address)
        }
        if let press = try? decoder.decode(ControlAPI.Press.self, from: body) {
            _ = try? ControlQuery.window(press.window)
        }
        if let group = try? decoder.decode(ControlAPI.NewGroup.self, from: body) {
            _ = try? GroupDefinition.validate(name: group.name)
        }
        _ = try? decoder.decode(ControlAPI.NewPost.self, from: body)
        _ = try? decoder.decode(SettingsValues.self, from: body)
        // A response as the CLI reads it: times go through APITime.
        _ = try? decoder.decode(MessageList.self, from: body)
        _ = try? decoder.decode([Date].self, from: body)
        // The same bytes as query values (`?limit=`, `?since=`).
        let text = String(decoding: data, as: UTF8.self)
        _ = try? ControlQuery.limit(text)
        _ = try? ControlQuery.since(text)
    }
}
