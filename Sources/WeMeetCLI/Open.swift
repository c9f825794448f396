import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetModel

/// `wemeet open`: a one-time login link to the node's web app, printed and opened in the
/// user's browser when one is at hand (`$BROWSER`, then `xdg-open`). `--lan`: a link for a
/// phone on the LAN, also as a QR code, with the certificate's fingerprint to check.
struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the web app: print a one-time login link and open it in your browser.",
        discussion: """
            The link logs one browser in, once, and is good for five minutes; run `wemeet open` \
            again for another. Anyone with the link can use your node, so do not share it.

            --lan makes a link for a phone on the same network, and shows it as a QR code to \
            scan. The node must serve the web app beyond loopback (`wemeet node --web \
            0.0.0.0:7790`), over HTTPS with its own certificate: the phone's browser warns \
            about it, and you check the fingerprint printed here before going on.
            """)
    @Flag(help: "Only print the link; do not start a browser.") var printOnly = false
    @Flag(help: "A link for a phone on this network, with a QR code and the certificate's fingerprint.")
    var lan = false
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let app: WebApp
        do {
            app = try await ControlClient(home: homeOptions.nodeHome).post(
                "/v1/web/login", json: WebLoginRequest(lan: lan ? true : nil))
        } catch {
            throw UserError(error)
        }
        let link = app.login ?? app.url ?? ""
        if lan {
            let code = try? QRCode(link)
            try output.emit(app) {
                var lines = ["Open this link on your phone (once, within 5 minutes), or scan the code:", link]
                if let code { lines.append(code.terminalText(colour: isatty(1) == 1)) }
                if let fingerprint = app.fingerprint {
                    lines.append(
                        "The page uses this node's own certificate, so the browser warns. Go on only if the certificate's SHA-256 fingerprint is:"
                    )
                    lines.append("  " + fingerprint)
                }
                return lines.joined(separator: "\n")
            }
            return
        }
        try output.emit(app) { link }
        guard !printOnly, !output.json else { return }
        Self.openInBrowser(link)
    }

    /// Starts `$BROWSER` or `xdg-open` on `link`, without waiting; silent when neither is there.
    static func openInBrowser(_ link: String) {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["BROWSER"], "xdg-open"].compactMap { $0 }.filter { !$0.isEmpty }
        for command in candidates {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [command, link]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            if (try? process.run()) != nil { return }
        }
    }
}
