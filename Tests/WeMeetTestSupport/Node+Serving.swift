import WeMeetControl
import WeMeetNode

extension Node {
    /// Runs the node (and its control API when its configuration asks for one) in a task, and
    /// returns once it listens for peers and, with the control API, once its socket answers
    /// (or the node has ended). The task ends when the node stops; cancel it to stop it.
    /// `nonisolated`, so the task is not on the node's actor: started from there, a stopped
    /// node still held its port when the next one bound it, and messages stalled (seen in
    /// MultiNodeTests and DirectMessageTests).
    package nonisolated func startServing() async throws -> (task: Task<Void, any Error>, port: Int) {
        let (controlUp, socketUp) = AsyncStream<Never>.makeStream()
        let task = Task {
            defer { socketUp.finish() }
            try await runServingControlAPI(onControlSocketUp: { socketUp.finish() })
        }
        let port: Int
        do {
            port = try await listeningAddress().port
        } catch {
            task.cancel()
            throw error
        }
        if configuration.controlAPI { for await _ in controlUp {} }
        return (task, port)
    }
}
