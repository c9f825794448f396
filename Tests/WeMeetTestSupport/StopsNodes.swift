import Synchronization
import Testing

/// A trait that stops, when a test ends (passed, failed or thrown), every in-process node
/// the test started with ``RunningNode/start(home:name:port:peers:controlAPI:discovery:clock:)``
/// and did not stop itself. A node left running keeps redialling its friends' old addresses
/// for the rest of the run, and could reach a later test's node on a reused port.
package struct StopsNodes: SuiteTrait, TestTrait, TestScoping {
    package var isRecursive: Bool { true }

    package func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // A suite's own scope holds no nodes; each of its tests gets one.
        guard testCase != nil else { return try await function() }
        let started = StartedNodes()
        do {
            try await StartedNodes.$current.withValue(started) { try await function() }
        } catch {
            await started.stopAll()
            throw error
        }
        await started.stopAll()
    }
}

extension Trait where Self == StopsNodes {
    /// Stops the nodes each test started and left running (``StopsNodes``).
    package static var stopsNodes: Self { StopsNodes() }
}

/// The nodes started inside one test's scope.
package final class StartedNodes: Sendable {
    /// The scope of the running test, if its suite has the ``StopsNodes`` trait.
    @TaskLocal package static var current: StartedNodes?

    private let nodes = Mutex<[RunningNode]>([])

    /// Records a node the test started.
    package func add(_ node: RunningNode) { nodes.withLock { $0.append(node) } }

    /// Stops every recorded node (stopping one already stopped returns at once).
    package func stopAll() async {
        let all = nodes.withLock { nodes in
            defer { nodes = [] }
            return nodes
        }
        await withTaskGroup(of: Void.self) { group in
            for node in all { group.addTask { await node.stop() } }
        }
    }
}
