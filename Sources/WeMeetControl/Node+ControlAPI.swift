import WeMeetNode

extension Node {
    /// Runs the node and, when its configuration asks for it (``NodeConfiguration/controlAPI``),
    /// its control API on `HOME/control.sock` from the moment it listens until it stops. The
    /// node knows nothing of the API: the API drives the node. `onControlSocketUp` is called
    /// once the socket accepts requests.
    public func runServingControlAPI(
        web: WebAccess? = nil, onControlSocketUp: @escaping @Sendable () async -> Void = {}
    ) async throws {
        guard configuration.controlAPI else { return try await run() }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await self.run()
                return true
            }
            group.addTask {
                _ = try await self.listeningAddress()
                try await ControlAPI(
                    node: self, socketPath: self.controlSocketPath, logger: self.logger, web: web,
                    onSocketUp: onControlSocketUp
                ).run()
                return false
            }
            // The node stopped (or failed): the API stops with it. The API stops by itself on
            // graceful shutdown, and the node then too.
            while let nodeEnded = try await group.next() {
                if nodeEnded { group.cancelAll() }
            }
        }
    }
}
