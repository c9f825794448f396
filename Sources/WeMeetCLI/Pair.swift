import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// `wemeet pair`: press pair at the same moment as a friend.
struct Pair: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair", abstract: "Press pair at the same moment as a friend to become friends.",
        discussion: """
            Both people run `wemeet pair` within a few seconds of each other; both see the \
            other's name and the same six-digit code, and become friends. If several people \
            press at once, you pick one (or, with --yes or without a terminal, nobody is paired \
            and you press again). Exits 0 only when paired.
            """)

    @Option(help: "How long to wait for the other press, in seconds.")
    var window: Double = 10

    @Flag(help: "Never ask: pair only when exactly one other person pressed.")
    var yes = false

    @Option(name: .customLong("with"), help: "Pair only with this node (node ID or name), if it presses too.")
    var target: String?

    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...120).contains(window) else { throw ValidationError("--window must be 1 to 120 seconds") }
    }

    func run() async throws {
        let client = ControlClient(home: homeOptions.nodeHome)
        let interactive = !yes && isatty(0) == 1 && !output.json
        struct Press: Encodable {
            var window: Double
            var interactive: Bool
            var with: String?
        }
        let (subscribed, ready) = AsyncStream<Void>.makeStream()
        let (events, sink) = AsyncStream<NodeEvent>.makeStream()
        let follower = Task {
            try? await client.followEvents(subscribed: { ready.finish() }) { event in
                if event.type.family == .pair { sink.yield(event) }
                return true
            }
            ready.finish()  // also when the node could not be reached
            sink.finish()
        }
        defer { follower.cancel() }
        for await _ in subscribed {}
        do {
            let _: PairingStatus = try await client.post(
                "/v1/pair", json: Press(window: window, interactive: interactive, with: target))
        } catch {
            throw UserError(error)
        }
        let cancel = CancelOnInterrupt(client: client)
        defer { cancel.disarm() }
        say("waiting for someone else to press pair… (\(Int(window)) s)")
        for await event in events {
            switch event.type {
            case .pairCandidate:
                say("found \((event.name ?? "someone").shown) (\(name(event.peer))) — code \(display(event.code))")
            case .pairDeclined:
                say("\(name(event.peer)) \(event.detail ?? "declined")")
            case .pairRefused:
                say(
                    "not pairing with \((event.name ?? "someone").shown) (\(name(event.peer))): \(event.detail ?? "it broke the exchange")"
                )
            case .pairAmbiguous:
                guard interactive else { continue }
                try await chooseInteractively(client)
            case .pairPaired:
                if output.json {
                    let status: PairingStatus? = try? await client.get("/v1/pair")
                    if let status { try output.emit(status) { "" } }
                } else {
                    // The result goes to stdout; progress above went to stderr.
                    show(
                        "paired with \((event.name ?? "your friend").shown) (\(name(event.peer))) (code \(display(event.code)))"
                    )
                    show(
                        "check that they see the same code; if not, unpair with `wemeet unpair \(event.peer?.description ?? "")`"
                    )
                }
                return
            case .pairEnded:
                if output.json, let status: PairingStatus = try? await client.get("/v1/pair") {
                    try output.emit(status) { "" }
                }
                throw UserError(event.detail ?? "pairing ended")
            default:
                break
            }
        }
        throw UserError("the node stopped")
    }

    private func chooseInteractively(_ client: ControlClient) async throws {
        let status: PairingStatus
        do { status = try await client.get("/v1/pair") } catch { throw UserError(error) }
        let live = status.candidates.filter { $0.code != nil && $0.declined == nil }
        guard !live.isEmpty else { return }
        say("several people pressed pair at once — which one are you pairing with?")
        for (index, candidate) in live.enumerated() {
            say(
                "  \(index + 1). \(candidate.name.shown) (\(candidate.nodeID.shortForm))  code \(display(candidate.code))"
            )
        }
        FileHandle.standardError.write(Data("number (Enter to cancel): ".utf8))
        guard let line = readLine(), let number = Int(line), (1...live.count).contains(number) else {
            _ = try? await client.request(.DELETE, "/v1/pair")
            throw UserError("not paired (no one chosen)")
        }
        do {
            let _: PairingStatus = try await client.post(
                "/v1/pair/choose", json: ["choice": live[number - 1].nodeID])
        } catch {
            throw UserError(error)
        }
        say("waiting for \(live[number - 1].name.shown) to choose you too…")
    }

    private func display(_ code: String?) -> String {
        guard let code, code.count == 6 else { return code ?? "?" }
        return "\(code.prefix(3)) \(code.suffix(3))"
    }

    private func name(_ peer: NodeID?) -> String { peer?.shortForm ?? "someone" }

    /// Progress goes to stderr, so `--json` output on stdout stays clean.
    private func say(_ line: String) {
        notice(line)
    }
}

/// Ctrl-C during a press releases it (`DELETE /v1/pair`) before exiting.
final class CancelOnInterrupt {
    private let source: any DispatchSourceSignal

    init(client: ControlClient) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT)
        source.setEventHandler {
            Task {
                _ = try? await client.request(.DELETE, "/v1/pair")
                exit(130)
            }
        }
        source.resume()
    }

    func disarm() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
