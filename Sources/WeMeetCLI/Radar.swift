import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// `wemeet radar`: nearby WeMeet nodes, once or live (`--watch`).
struct Radar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "radar", abstract: "List nearby WeMeet nodes (--watch for live updates).",
        discussion: """
            Nodes on the same local network appear here within a second or two of starting and \
            disappear when they stop (or within 30 s when they crash or lose the network). \
            With --watch --json, each change is one JSON object per line.
            """)

    @Flag(help: "Keep running and print changes as nodes come and go.")
    var watch = false

    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = ControlClient(home: homeOptions.nodeHome)
        let snapshot: RadarSnapshot
        do { snapshot = try await client.get("/v1/radar") } catch { throw UserError(error) }
        guard watch else {
            try output.emit(snapshot) { Self.text(snapshot) }
            return
        }
        if output.json {
            printJSONLine(["type": AnyCodable(NodeEvent.Kind.radarSnapshot), "radar": AnyCodable(snapshot)])
        } else {
            writeLine(Self.text(snapshot))
            writeLine("watching for changes (Ctrl-C to stop)…")
        }
        let json = output.json
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Someone is looking: the node checks that strangers listed are still there
                // (Protocol.md §5.4), for a minute at a time, renewed while this runs.
                group.addTask {
                    while !Task.isCancelled {
                        let _: RadarWatch = try await client.post("/v1/radar/watch", json: [String: String]())
                        try await Task.sleep(for: .seconds(30))
                    }
                }
                group.addTask {
                    var names = Dictionary(snapshot.nearby.map { ($0.nodeID, $0.name) }) { first, _ in first }
                    try await client.followEvents { event in
                        guard event.type.family == .radar else { return true }
                        if json {
                            printJSONLine(["type": AnyCodable(event.type), "event": AnyCodable(event)])
                        } else if let line = Self.line(for: event, names: &names) {
                            writeLine(line)
                        }
                        return true
                    }
                }
                // The node stopped (the events ended): so does the watch.
                try await group.next()
                group.cancelAll()
            }
        } catch let error as NodeError {
            throw UserError(error)
        } catch {
            throw UserError("the radar stopped: \(error)")
        }
        throw UserError("the node stopped")
    }

    static func text(_ snapshot: RadarSnapshot) -> String {
        var lines: [String] = []
        switch snapshot.discovery {
        case .disabled:
            lines.append("local discovery is off (the node runs with --no-mdns)")
        case .unavailable:
            lines.append(
                "local discovery is unavailable: \(snapshot.detail ?? "unknown reason"); "
                    + "static --peer addresses still work")
        default:
            if let name = snapshot.advertisedAs { lines.append("you are visible as \"\(name.shown)\"") }
        }
        if snapshot.nearby.isEmpty {
            if snapshot.discovery == .active {
                lines.append("no one nearby yet (nodes on this network appear here when they start)")
            }
        } else {
            lines.append("nearby:")
            let width = snapshot.nearby.map(\.name.shown.count).max() ?? 0
            for entry in snapshot.nearby {
                var flags: [String] = []
                if entry.friend { flags.append("friend") }
                if entry.connected { flags.append("connected") }
                let address = entry.addresses.first.map { PeerAddress(host: $0, port: entry.port).description } ?? "?"
                let name = entry.name.shown.padding(toLength: width, withPad: " ", startingAt: 0)
                let id = entry.nodeID.shortForm
                lines.append(
                    "  \(name)  \(id)  \(address)" + (flags.isEmpty ? "" : "  (\(flags.joined(separator: ", ")))"))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func line(for event: NodeEvent, names: inout [NodeID: String]) -> String? {
        let id = event.peer?.shortForm ?? ""
        switch event.type {
        case .radarAppeared:
            if let peer = event.peer, let name = event.detail { names[peer] = name.shown }
            return "+ \(event.detail?.shown ?? id) (\(id)) appeared at \(event.address ?? "?")"
        case .radarUpdated:
            return "~ \(event.detail?.shown ?? id) (\(id)) now at \(event.address ?? "?")"
        case .radarGone:
            let name = event.peer.flatMap { names[$0] } ?? id
            let why = event.detail == NodeEvent.GoneReason.unreachable.rawValue ? "stopped answering" : "left"
            return "- \(name) (\(id)) \(why)"
        case .radarDiscovery:
            return "discovery \(event.detail ?? "")"
        case .radarAdvertised:
            return "you are visible as \"\(event.detail ?? "")\""
        default:
            return nil
        }
    }

    private func printJSONLine(_ value: [String: AnyCodable]) {
        if let data = try? ControlJSON.encoder.encode(value) { writeLine(String(decoding: data, as: UTF8.self)) }
    }

    /// Writes a line straight to stdout (unbuffered, so a pipe sees each change at once).
    private func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Any Encodable value, for one-off JSON objects.
struct AnyCodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
