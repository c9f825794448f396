import Logging
import ServiceLifecycle
import WeMeetControl
import WeMeetNode

extension Node {
    /// Runs the node with its control API and, unless `web` is nil, its web app; the web
    /// app's login links come from the control socket (`wemeet open`).
    public func runServing(web: WebConfiguration?) async throws {
        guard let web else { return try await runServingControlAPI() }
        let access = WebAccess(
            authority: "\(web.host):\(web.port)", passwordFile: home.webPasswordPath, sessionFile: home.webSessionsPath,
            cookieName: WebAccess.cookieName(forNode: identity.nodeID.description))
        try await runServing(web: web, access: access)
    }

    /// ``runServing(web:)`` with the web app's access given (tests await its address).
    package func runServing(web: WebConfiguration, access: WebAccess) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                // However the node ends — stopped, or failed to start (its store locked by
                // another node) — the web app stops waiting for it.
                do {
                    try await self.runServingControlAPI(web: access)
                } catch {
                    await access.nodeStopped()
                    throw error
                }
                await access.nodeStopped()
                return true
            }
            group.addTask {
                // Login links come from the control socket: the app opens once it answers.
                await access.controlSocketIsUp()
                guard await !access.stopped else { return false }
                do {
                    try await WebServer(node: self, configuration: web, access: access, logger: self.logger).run()
                } catch {
                    // Stopping with the node, or the default address failed: the node goes on
                    // without its web app. An address given explicitly stops it instead.
                    guard !Task.isCancelled else { return false }
                    guard web.fallBackToAnyPort else { throw error }
                    self.logger.info("the web app cannot listen", metadata: ["reason": "\(error)"])
                }
                return false
            }
            // The node (with its control API) ends, and the web app goes with it; an address
            // given explicitly that cannot be had stops the node with the reason.
            while let nodeEnded = try await group.next() {
                if nodeEnded { group.cancelAll() }
            }
        }
    }
}

/// A node with its control API and web app, as one swift-service-lifecycle `Service` (what
/// `wemeet node` runs): ``Node/runServing(web:)`` until graceful shutdown or cancellation.
public struct ServedNode: Service {
    public let node: Node
    public let web: WebConfiguration?

    public init(_ node: Node, web: WebConfiguration?) {
        self.node = node
        self.web = web
    }

    public func run() async throws { try await node.runServing(web: web) }
}
