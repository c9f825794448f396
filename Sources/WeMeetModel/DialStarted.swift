/// The answer of `POST /v1/peers`: the address now kept connected.
public struct DialStarted: Codable, Sendable, Equatable {
    public var address: String
    public var state: State

    /// What the node does about the address.
    public enum State: String, Codable, Sendable {
        /// Dialling it, and redialling whenever the channel ends.
        case dialing
    }

    public init(address: String, state: State = .dialing) {
        self.address = address
        self.state = state
    }
}
