/// The body of every control-API error (API.md, "Errors"), with the HTTP status repeated
/// inside: `{"error": {"status": 400, "message": "…"}}`.
public struct ControlErrorBody: Codable, Sendable, Equatable {
    /// The error itself.
    public struct Detail: Codable, Sendable, Equatable {
        public var status: Int
        /// What went wrong, for people.
        public var message: String

        public init(status: Int, message: String) {
            self.status = status
            self.message = message
        }
    }

    public var error: Detail

    public init(status: Int, message: String) {
        self.error = Detail(status: status, message: message)
    }
}
