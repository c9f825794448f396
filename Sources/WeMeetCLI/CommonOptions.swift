import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// `--home DIR`, shared by every command.
struct HomeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The node's home directory (default: $WEMEET_HOME, else $XDG_DATA_HOME/wemeet or ~/.local/share/wemeet).",
            valueName: "dir"))
    var home: String?

    /// The resolved home.
    var nodeHome: NodeHome { NodeHome.resolve(explicit: home) }

    /// Asks the node to change the settings `change` names (`POST /v1/settings`); the
    /// settings after it.
    func changeSettings(_ change: SettingsValues) async throws -> SettingsValues {
        do { return try await ControlClient(home: nodeHome).post("/v1/settings", json: change) } catch {
            throw UserError(error)
        }
    }
}

/// Checks an `on`/`off` argument.
func validateOnOff(_ state: String) throws {
    guard ["on", "off"].contains(state) else { throw ValidationError("say on or off") }
}

/// `--json`, for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    /// Prints `value` as JSON (sorted keys, pretty, exact) when `--json` was given, else `text()`
    /// with anything a terminal would obey escaped (``TerminalText``).
    func emit(_ value: some Encodable, text: () -> String) throws {
        if json {
            print(String(decoding: try ControlJSON.prettyEncoder.encode(value), as: UTF8.self))
        } else {
            show(text())
        }
    }
}
