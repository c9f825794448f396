/// The answer of `GET /v1/peers`: connections and static peers, as in `GET /v1/status`.
public struct PeerList: Codable, Sendable, Equatable {
    public var peers: [NodeStatus.Peer]
    public var dialing: [NodeStatus.Dial]

    public init(peers: [NodeStatus.Peer], dialing: [NodeStatus.Dial]) {
        self.peers = peers
        self.dialing = dialing
    }
}
