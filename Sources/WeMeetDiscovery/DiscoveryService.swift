/// Advertising this node and browsing for others: real mDNS (``DNSSDDiscovery``) or an
/// in-memory network for unit tests (``InMemoryDiscovery``).
public protocol DiscoveryService: Sendable {
    /// Starts advertising and browsing; the stream reports what happens until ``stop()``.
    func start(_ advertisement: Advertisement) async -> AsyncStream<DiscoveryEvent>
    /// Replaces the advertised TXT record (for example to raise the pairing flag).
    func update(_ record: NodeRecord) async
    /// Resolves `instanceName` again (its port or addresses may have changed).
    func refresh(instanceName: String) async
    /// Withdraws the advertisement (sending goodbyes), stops browsing and ends the stream.
    func stop() async
}
