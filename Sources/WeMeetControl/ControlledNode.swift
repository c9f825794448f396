import ServiceLifecycle
import WeMeetNode

/// A node with its control API, as one swift-service-lifecycle `Service` (what `wemeet node`
/// runs): ``Node/runServingControlAPI(web:onControlSocketUp:)`` until graceful shutdown or cancellation.
public struct ControlledNode: Service {
    public let node: Node

    public init(_ node: Node) { self.node = node }

    public func run() async throws { try await node.runServingControlAPI() }
}
