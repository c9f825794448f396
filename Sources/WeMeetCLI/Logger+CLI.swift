import Logging

extension Logger {
    /// The CLI's logger for library messages: warnings and worse, to stderr.
    static var cli: Logger {
        var logger = Logger(label: "wemeet") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = .warning
        return logger
    }
}
