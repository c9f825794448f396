import Foundation
import WeMeetCrypto

/// The state of a pairing press (`GET /v1/pair`, API.md).
public struct PairingStatus: Codable, Sendable, Equatable {
    /// One other node pressing at the same time.
    public struct Candidate: Codable, Sendable, Equatable {
        public var nodeID: NodeID
        public var name: String
        /// The six-digit code, once the commit–reveal exchange finished.
        public var code: String?
        /// Whether this node chose it, and whether it chose this node.
        public var chosen: Bool
        public var choseUs: Bool
        /// Why it will not pair in this press, if it said so.
        public var declined: String?

        package init(
            nodeID: NodeID, name: String, code: String? = nil, chosen: Bool, choseUs: Bool, declined: String? = nil
        ) {
            self.nodeID = nodeID
            self.name = name
            self.code = code
            self.chosen = chosen
            self.choseUs = choseUs
            self.declined = declined
        }
    }

    /// Where a press is (the last press's outcome stays until the next).
    public enum State: String, Codable, Sendable, CustomStringConvertible {
        public var description: String { rawValue }

        /// No press yet.
        case idle
        /// The window is open.
        case pressing
        /// The last press made a friend.
        case paired
        /// The last press ended without pairing.
        case ended
    }

    public var state: State
    /// When the window closes (pressing only).
    public var deadline: Date?
    public var candidates: [Candidate]
    /// The friend made by the last press, when `paired`.
    public var friend: Friend?
    /// Why the last press ended without pairing, when `ended`.
    public var message: String?
    /// While pressing: several people have pressed, so only a choice among the candidates
    /// pairs (`POST /v1/pair/choose`) — nobody is paired because the others let go.
    public var choosing: Bool?

    package static let idle = PairingStatus(state: .idle, deadline: nil, candidates: [], friend: nil, message: nil)

    package init(
        state: State, deadline: Date? = nil, candidates: [Candidate], friend: Friend? = nil, message: String? = nil,
        choosing: Bool? = nil
    ) {
        self.choosing = choosing
        self.state = state
        self.deadline = deadline
        self.candidates = candidates
        self.friend = friend
        self.message = message
    }
}
