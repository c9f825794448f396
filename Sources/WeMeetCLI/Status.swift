import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// `wemeet status`: identity, listen address, peers and their connection state.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show identity, listen address, peers and sync state.")

    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = ControlClient(home: homeOptions.nodeHome)
        let status: NodeStatus
        do { status = try await client.get("/v1/status") } catch { throw UserError(error) }
        let web = try? await client.get("/v1/web", as: WebApp.self)
        try output.emit(status) {
            Self.text(status) + "\n"
                + (web?.url.map { "web app: \($0) (`wemeet open` logs a browser in)" } ?? "web app: off")
        }
    }

    static func text(_ status: NodeStatus) -> String {
        var lines = [
            "\(status.name.shown)  \(status.nodeID)",
            "listening on \(status.listen), discovery \(status.discovery), \(status.entries) entries stored",
        ]
        if status.peers.isEmpty {
            lines.append("no peers connected")
        } else {
            lines.append("connected peers:")
            for peer in status.peers {
                lines.append("  \(peer.name.shown)  \(peer.nodeID)  \(peer.direction) \(peer.address)")
            }
        }
        for dial in status.dialing where dial.state != .connected {
            let error = dial.lastError.map { ": \($0)" } ?? ""
            lines.append("  \(dial.address): \(dial.state) (attempt \(dial.attempts))\(error)")
        }
        for sync in status.sync {
            let state = sync.remaining > 0 ? "catching up, \(sync.remaining) entries to go" : "up to date"
            lines.append(
                "sync with \(sync.name.shown): \(state) (sent \(sync.entriesSent), received \(sync.entriesReceived))")
        }
        if let storage = status.storage {
            lines.append(
                "storage: others' entries use \(QuotaText.bytes(storage.bytes)) of "
                    + "\(QuotaText.bytes(storage.limits.totalBytes)), in \(storage.feeds) feeds")
            let names = Dictionary(status.peers.map { ($0.nodeID, $0.name) }, uniquingKeysWith: { a, _ in a })
            for refusal in storage.refusals {
                let who =
                    names[refusal.nodeID].map { "\($0.shown) (\(refusal.nodeID.shortForm))" }
                    ?? refusal.nodeID.shortForm
                lines.append(
                    "  quota reached: \(who) hit \(refusal.quota) (\(QuotaText.amount(refusal.limit, of: refusal.quota))); "
                        + "\(refusal.refused) entries refused — raise it with `wemeet settings quota \(refusal.quota) VALUE`"
                )
            }
        }
        if let relay = status.relay {
            lines.append(
                "relay: holding \(relay.feeds) \(relay.feeds == 1 ? "conversation" : "conversations") for friends, "
                    + "\(QuotaText.bytes(relay.bytes)) of \(QuotaText.bytes(relay.totalLimit)) "
                    + "(at most \(QuotaText.bytes(relay.authorLimit)) per author, kept \(relay.holdSeconds / 86_400) days)"
            )
        } else {
            lines.append("relay: off (`wemeet settings relay on` carries friends' messages while one is away)")
        }
        return lines.joined(separator: "\n")
    }
}
