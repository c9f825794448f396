import Foundation

/// Standard input, line by line, for the chat commands.
enum StandardInput {
    /// The lines typed (or piped), as they come; the stream ends at end of input. A thread
    /// of its own reads, so a blocking `readLine` never holds a concurrency thread.
    static func lines() -> AsyncStream<String> {
        AsyncStream<String> { continuation in
            Thread.detachNewThread {
                while let text = readLine() { continuation.yield(text) }
                continuation.finish()
            }
        }
    }
}
