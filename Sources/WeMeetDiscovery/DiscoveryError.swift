import CDNSSD

/// An error from discovery, carrying the `DNSServiceErrorType` when the daemon reported one.
public struct DiscoveryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable { case daemonUnavailable, serviceFailed, invalidRecord }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// No mDNS daemon could be reached (e.g. `avahi-daemon` is not running).
        public static let daemonUnavailable = Code(.daemonUnavailable)
        /// The daemon refused or failed an operation.
        public static let serviceFailed = Code(.serviceFailed)
        /// A TXT record or other discovered data was malformed.
        public static let invalidRecord = Code(.invalidRecord)

        public var description: String {
            switch wrapped {
            case .daemonUnavailable: "mDNS daemon unavailable"
            case .serviceFailed: "DNS-SD operation failed"
            case .invalidRecord: "invalid record"
            }
        }
    }

    /// The kind of error.
    public var code: Code
    /// A one-line explanation.
    public var message: String
    /// The raw `DNSServiceErrorType`, when the daemon produced one.
    public var dnsServiceError: Int32?

    public init(code: Code, message: String, dnsServiceError: Int32? = nil) {
        self.code = code
        self.message = message
        self.dnsServiceError = dnsServiceError
    }

    /// Maps a `DNSServiceErrorType` to an error with a readable message.
    public init(dnsServiceError rc: Int32, operation: String) {
        switch rc {
        // Bonjour's kDNSServiceErr_ServiceNotRunning (-65563; absent from Avahi's header).
        // Avahi's compat layer reports a missing daemon as kDNSServiceErr_Unknown.
        case -65563, Int32(kDNSServiceErr_Unknown):
            self.init(
                code: .daemonUnavailable,
                message: "\(operation): the mDNS daemon is not running (start avahi-daemon)", dnsServiceError: rc)
        default:
            self.init(code: .serviceFailed, message: "\(operation) failed (DNS-SD error \(rc))", dnsServiceError: rc)
        }
    }

    public var description: String { message }
}
