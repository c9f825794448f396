import Synchronization

/// Discovery without a daemon, for unit tests: every ``InMemoryDiscovery`` created on the
/// same ``InMemoryNetwork`` sees the others' advertisements at once, addressed at
/// `127.0.0.1`.
public final class InMemoryNetwork: Sendable {
    private struct Member {
        var advertisement: Advertisement?
        var continuation: AsyncStream<DiscoveryEvent>.Continuation
    }

    private let members = Mutex<[Int: Member]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    package func join(_ continuation: AsyncStream<DiscoveryEvent>.Continuation) -> Int {
        let id = nextID.add(1, ordering: .relaxed).newValue
        members.withLock { $0[id] = Member(continuation: continuation) }
        return id
    }

    package func advertise(_ id: Int, _ advertisement: Advertisement) {
        let others: [(AsyncStream<DiscoveryEvent>.Continuation, Advertisement?)] = members.withLock { members in
            members[id]?.advertisement = advertisement
            return members.filter { $0.key != id }.map { ($0.value.continuation, $0.value.advertisement) }
        }
        members.withLock { $0[id]?.continuation }?.yield(.registered(advertisement.instanceName))
        for (continuation, theirs) in others {
            continuation.yield(.found(Self.sighting(advertisement)))
            if let theirs { members.withLock { $0[id]?.continuation }?.yield(.found(Self.sighting(theirs))) }
        }
    }

    package func leave(_ id: Int) {
        let (me, others) = members.withLock { members in
            (members.removeValue(forKey: id), members.values.map(\.continuation))
        }
        guard let me else { return }
        if let name = me.advertisement?.instanceName {
            for continuation in others { continuation.yield(.lost(instanceName: name)) }
        }
        me.continuation.finish()
    }

    private static func sighting(_ advertisement: Advertisement) -> Sighting {
        Sighting(
            instanceName: advertisement.instanceName, record: advertisement.record, host: "localhost.",
            port: advertisement.port, addresses: ["127.0.0.1"])
    }
}

/// One node's view of an ``InMemoryNetwork``.
public final class InMemoryDiscovery: DiscoveryService {
    private let network: InMemoryNetwork
    private let id = Mutex<Int?>(nil)
    private let advertisement = Mutex<Advertisement?>(nil)

    public init(network: InMemoryNetwork) {
        self.network = network
    }

    public func start(_ advertisement: Advertisement) async -> AsyncStream<DiscoveryEvent> {
        let (stream, continuation) = AsyncStream<DiscoveryEvent>.makeStream()
        let id = network.join(continuation)
        self.id.withLock { $0 = id }
        self.advertisement.withLock { $0 = advertisement }
        continuation.yield(.available)
        network.advertise(id, advertisement)
        return stream
    }

    public func update(_ record: NodeRecord) async {
        guard let id = id.withLock({ $0 }) else { return }
        let updated: Advertisement? = advertisement.withLock {
            $0?.record = record
            return $0
        }
        if let updated { network.advertise(id, updated) }
    }

    public func refresh(instanceName: String) async {}

    public func stop() async {
        guard let id = id.withLock({ $0 }) else { return }
        network.leave(id)
    }
}
