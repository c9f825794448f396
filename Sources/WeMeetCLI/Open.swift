import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetModel

/// `wemeet open`: a one-time login link to the node's web app, printed and opened in the
/// user's browser when one is at hand (`$BROWSER`, then `xdg-open`).
struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the web app: print a one-time login link and open it in your browser.",
        discussion: """
            The link logs one browser in, once, and is good for five minutes; run `wemeet open` \
            again for another. Anyone with the link can use your node, so do not share it.
            """)
    @Flag(help: "Only print the link; do not start a browser.") var printOnly = false
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let app: WebApp
        do {
            app = try await ControlClient(home: homeOptions.nodeHome).post("/v1/web/login", json: [String: String]())
        } catch {
            throw UserError(error)
        }
        let link = app.login ?? app.url ?? ""
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
