/// WeMeetStore — the node's memory: signed, hash-chained, append-only feeds in a crash-safe
/// log, with the indexes that sync and the user interface read (Protocol.md §7).

/// An error from the store: a rejected entry (with the reason), or a log it cannot trust.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case malformed, tooLarge, badSignature, gap, wrongPrevious, duplicate, fork, frozen, corrupt, locked, io,
                closed
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// An entry that does not decode.
        public static let malformed = Code(.malformed)
        /// An entry or payload over the size limits.
        public static let tooLarge = Code(.tooLarge)
        /// The author's signature does not verify.
        public static let badSignature = Code(.badSignature)
        /// The entry's seq is beyond the next one expected (entries are missing before it).
        public static let gap = Code(.gap)
        /// The entry's previous-hash is not the feed's latest entry.
        public static let wrongPrevious = Code(.wrongPrevious)
        /// The store already holds this exact entry (harmless; a replay).
        public static let duplicate = Code(.duplicate)
        /// A different valid entry already holds this (feed, seq): the feed is now frozen.
        public static let fork = Code(.fork)
        /// The feed is frozen by an earlier fork.
        public static let frozen = Code(.frozen)
        /// The log is damaged somewhere other than a torn tail.
        public static let corrupt = Code(.corrupt)
        /// Another process holds the store.
        public static let locked = Code(.locked)
        /// The operating system refused a file operation.
        public static let io = Code(.io)
        /// The store was closed or failed.
        public static let closed = Code(.closed)

        public var description: String {
            switch wrapped {
            case .malformed: "malformed"
            case .tooLarge: "too large"
            case .badSignature: "bad signature"
            case .gap: "gap"
            case .wrongPrevious: "wrong previous"
            case .duplicate: "duplicate"
            case .fork: "fork"
            case .frozen: "frozen"
            case .corrupt: "corrupt"
            case .locked: "locked"
            case .io: "I/O error"
            case .closed: "closed"
            }
        }
    }

    /// The kind of error.
    public var code: Code
    /// A one-line reason.
    public var message: String
    /// For ``Code/corrupt``: the byte offset in the log where damage starts.
    public var offset: UInt64?

    public init(code: Code, message: String, offset: UInt64? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}
