/// WeMeetNode — the node runtime: a node's home directory, its identity, and (as the later
/// layers land) the daemon that ties channel, store and discovery together.

/// An error from the node runtime, shown to users as one line.
///
/// Modelled on NIOFileSystem's `FileSystemError`: switch on ``code``; ``message`` names the
/// file or thing at fault and, where there is one, the fix.
public struct NodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case identityExists, identityMissing, invalidIdentity, insecurePermissions, invalidName, io,
                invalidArgument,
                notRunning, controlFailed, protocolViolation, notFound, conflict, notPermitted
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// `init` found an identity already there and refused to replace it.
        public static let identityExists = Code(.identityExists)
        /// The home holds no identity yet.
        public static let identityMissing = Code(.identityMissing)
        /// An identity file is truncated, corrupted or of an unknown format.
        public static let invalidIdentity = Code(.invalidIdentity)
        /// A secret file or the home directory is readable by other users.
        public static let insecurePermissions = Code(.insecurePermissions)
        /// A display name is empty, too long or contains control characters.
        public static let invalidName = Code(.invalidName)
        /// The operating system refused a file operation.
        public static let io = Code(.io)
        /// A malformed argument (an address, a node ID).
        public static let invalidArgument = Code(.invalidArgument)
        /// No node is running for this home (its control socket does not answer).
        public static let notRunning = Code(.notRunning)
        /// The running node answered a control request with an error.
        public static let controlFailed = Code(.controlFailed)
        /// A peer sent a message that breaks the protocol.
        public static let protocolViolation = Code(.protocolViolation)
        /// The thing asked for (a friend, a pairing candidate) does not exist.
        public static let notFound = Code(.notFound)
        /// The request conflicts with the node's state (for example pairing twice at once).
        public static let conflict = Code(.conflict)
        /// The request is understood but this node may not do it (a member who is not an
        /// admin inviting someone, posting to a group one has left).
        public static let notPermitted = Code(.notPermitted)

        public var description: String {
            switch wrapped {
            case .identityExists: "identity exists"
            case .identityMissing: "identity missing"
            case .invalidIdentity: "invalid identity"
            case .insecurePermissions: "insecure permissions"
            case .invalidName: "invalid name"
            case .io: "I/O error"
            case .invalidArgument: "invalid argument"
            case .notRunning: "not running"
            case .controlFailed: "control request failed"
            case .protocolViolation: "protocol violation"
            case .notFound: "not found"
            case .conflict: "conflict"
            case .notPermitted: "not permitted"
            }
        }
    }

    /// The kind of error.
    public var code: Code
    /// One line for the user, naming the file and what is wrong.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
