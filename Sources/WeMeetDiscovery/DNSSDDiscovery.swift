import CDNSSD
import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Discovery through the system's mDNS daemon with the `dns_sd.h` API: Avahi's
/// compatibility library on Linux, Bonjour on macOS.
///
/// It keeps few `DNSServiceRef`s alive (each costs a thread and a D-Bus client in Avahi):
/// one registration, one browse, and for a newly seen instance a short-lived resolve
/// followed by short-lived A and AAAA queries on its host (Avahi has no
/// `DNSServiceGetAddrInfo`). Every ref belongs to this actor, whose executor is the serial
/// queue its Dispatch read sources deliver on, so callbacks run isolated to it.
///
/// Avahi's compatibility layer sends no `kDNSServiceFlagsMoreComing`, rejects non-zero
/// flags, and reports a missing daemon as `kDNSServiceErr_Unknown`: then the service
/// reports ``DiscoveryEvent/unavailable(_:)`` and retries every ``retryInterval`` until the
/// daemon answers.
public actor DNSSDDiscovery: DiscoveryService {
    private struct Instance {
        var interfaces: Set<UInt32> = []
        var resolve: DNSSDOperation?
        var queries: [DNSSDOperation] = []
        var sighting: Sighting?
        /// Bumped on every resolve, so a stale timer does not cancel a newer one.
        var generation = 0
    }

    private let executor = QueueExecutor(label: "wemeet.dnssd")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// How long to wait between attempts to reach an unavailable daemon.
    public let retryInterval: Duration
    /// How long address queries stay open after a resolve.
    public let queryWindow: Duration
    private let logger: Logger
    private var advertisement: Advertisement?
    private var continuation: AsyncStream<DiscoveryEvent>.Continuation?
    private var registration: DNSSDOperation?
    private var browser: DNSSDOperation?
    private var instances: [String: Instance] = [:]
    private var registeredName: String?
    private var available = false
    private var retryTask: Task<Void, Never>?

    public init(
        retryInterval: Duration = .seconds(5), queryWindow: Duration = .seconds(3),
        logger: Logger = Logger(label: "wemeet.discovery")
    ) {
        self.retryInterval = retryInterval
        self.queryWindow = queryWindow
        self.logger = logger
        _ = Self.prepared
    }

    /// Runs `wemeet_dnssd_prepare` (see `shim.h`) once, before the first `DNSServiceRef`.
    private static let prepared: Void = wemeet_dnssd_prepare()

    public func start(_ advertisement: Advertisement) -> AsyncStream<DiscoveryEvent> {
        let (stream, continuation) = AsyncStream<DiscoveryEvent>.makeStream()
        self.continuation?.finish()
        self.continuation = continuation
        self.advertisement = advertisement
        connect()
        return stream
    }

    public func update(_ record: NodeRecord) {
        advertisement?.record = record
        guard let registration = registration?.ref, let advertisement else { return }
        let txt = advertisement.record.txt.bytes
        let rc = txt.withUnsafeBytes {
            DNSServiceUpdateRecord(registration, nil, 0, UInt16($0.count), $0.baseAddress, 0)
        }
        if rc != Int32(kDNSServiceErr_NoError) {
            logger.info("TXT update failed; registering again", metadata: ["error": "\(rc)"])
            self.registration?.cancel()
            self.registration = nil
            do { self.registration = try register(advertisement) } catch { fail(error) }
        }
    }

    public func refresh(instanceName: String) {
        guard var instance = instances[instanceName], instance.resolve == nil, let interface = instance.interfaces.min()
        else { return }
        instance.resolve = startResolve(instanceName, interface: interface)
        instances[instanceName] = instance
    }

    public func stop() {
        retryTask?.cancel()
        retryTask = nil
        teardown()
        continuation?.finish()
        continuation = nil
        advertisement = nil
    }

    // MARK: Connecting and failing

    private func connect() {
        guard let advertisement else { return }
        do {
            registration = try register(advertisement)
            browser = try browse()
        } catch {
            fail(error)
            return
        }
        available = true
        continuation?.yield(.available)
    }

    /// Tears every operation down, reports the daemon unavailable, and retries later.
    private func fail(_ error: DiscoveryError) {
        teardown()
        let wasAvailable = available
        available = false
        if wasAvailable || retryTask == nil {
            logger.debug("mDNS unavailable", metadata: ["reason": "\(error.message)"])
        }
        continuation?.yield(.unavailable(error))
        guard retryTask == nil, continuation != nil else { return }
        let interval = retryInterval
        retryTask = Task {
            try? await Task.sleep(for: interval)
            self.retry()
        }
    }

    private func retry() {
        retryTask = nil
        guard continuation != nil, !available else { return }
        connect()
    }

    private func teardown() {
        registration?.cancel()
        registration = nil
        browser?.cancel()
        browser = nil
        for instance in instances.values {
            instance.resolve?.cancel()
            for query in instance.queries { query.cancel() }
        }
        instances = [:]
        registeredName = nil
    }

    /// Wraps a freshly created ref; `nil` ref with `rc` is a failure to start.
    private func operation(
        _ operation: String, context: DNSSDOperation.Context,
        create: (UnsafeMutablePointer<DNSServiceRef?>, UnsafeMutableRawPointer) -> DNSServiceErrorType
    ) throws(DiscoveryError) -> DNSSDOperation {
        let retained = Unmanaged.passRetained(context)
        var ref: DNSServiceRef?
        let rc = create(&ref, retained.toOpaque())
        guard rc == Int32(kDNSServiceErr_NoError), let ref else {
            retained.release()
            throw DiscoveryError(dnsServiceError: rc, operation: operation)
        }
        return DNSSDOperation(ref: ref, context: retained, queue: executor.queue) { [weak self] rc in
            self?.assumeIsolated { $0.fail(DiscoveryError(dnsServiceError: rc, operation: operation)) }
        }
    }

    /// A context whose replies run isolated to this actor (callbacks arrive on its queue).
    private func context(
        _ handle: @escaping @Sendable (isolated DNSSDDiscovery, DNSSDOperation.Reply) -> Void
    )
        -> DNSSDOperation.Context
    {
        DNSSDOperation.Context { [weak self] reply in
            self?.assumeIsolated { handle($0, reply) }
        }
    }

    // MARK: Register

    private func register(_ advertisement: Advertisement) throws(DiscoveryError) -> DNSSDOperation {
        let txt = advertisement.record.txt.bytes
        let context = context { $0.registered($1) }
        return try operation("DNSServiceRegister", context: context) { ref, pointer in
            txt.withUnsafeBytes { txt in
                DNSServiceRegister(
                    ref, 0, 0, advertisement.instanceName, Discovery.serviceType, nil, nil,
                    UInt16(advertisement.port).bigEndian, UInt16(txt.count), txt.baseAddress,
                    { _, _, error, name, _, _, context in
                        DNSSDOperation.Context.from(context).handle(
                            .registered(error: error, name: name.map { String(cString: $0) } ?? ""))
                    }, pointer)
            }
        }
    }

    private func registered(_ reply: DNSSDOperation.Reply) {
        guard case .registered(let error, let name) = reply else { return }
        guard error == Int32(kDNSServiceErr_NoError) else {
            fail(DiscoveryError(dnsServiceError: error, operation: "registration"))
            return
        }
        registeredName = name
        continuation?.yield(.registered(name))
    }

    // MARK: Browse

    private func browse() throws(DiscoveryError) -> DNSSDOperation {
        let context = context { $0.browsed($1) }
        return try operation("DNSServiceBrowse", context: context) { ref, pointer in
            DNSServiceBrowse(
                ref, 0, 0, Discovery.serviceType, nil,
                { _, flags, interface, error, name, _, domain, context in
                    DNSSDOperation.Context.from(context).handle(
                        .browsed(
                            error: error, added: flags & DNSServiceFlags(kDNSServiceFlagsAdd) != 0,
                            interface: interface, name: name.map { String(cString: $0) } ?? "",
                            domain: domain.map { String(cString: $0) } ?? ""))
                }, pointer)
        }
    }

    private func browsed(_ reply: DNSSDOperation.Reply) {
        guard case .browsed(let error, let added, let interface, let name, _) = reply else { return }
        guard error == Int32(kDNSServiceErr_NoError) else {
            fail(DiscoveryError(dnsServiceError: error, operation: "browsing"))
            return
        }
        var instance = instances[name] ?? Instance()
        if added {
            instance.interfaces.insert(interface)
            if instance.sighting == nil && instance.resolve == nil {
                instance.resolve = startResolve(name, interface: interface)
            }
            instances[name] = instance
        } else {
            instance.interfaces.remove(interface)
            if instance.interfaces.isEmpty {
                instance.resolve?.cancel()
                for query in instance.queries { query.cancel() }
                instances[name] = nil
                continuation?.yield(.lost(instanceName: name))
            } else {
                instances[name] = instance
            }
        }
    }

    // MARK: Resolve

    private func startResolve(_ name: String, interface: UInt32) -> DNSSDOperation? {
        let context = context { $0.resolved(name, $1) }
        do {
            return try operation("DNSServiceResolve", context: context) { ref, pointer in
                DNSServiceResolve(
                    ref, 0, interface, name, Discovery.serviceType, "local",
                    { _, _, interface, error, _, host, port, length, txt, context in
                        let bytes = txt.map { Array(UnsafeBufferPointer(start: $0, count: Int(length))) } ?? []
                        DNSSDOperation.Context.from(context).handle(
                            .resolved(
                                error: error, interface: interface, host: host.map { String(cString: $0) } ?? "",
                                port: Int(UInt16(bigEndian: port)), txt: bytes))
                    }, pointer)
            }
        } catch {
            logger.debug("resolve failed to start", metadata: ["instance": "\(name)", "reason": "\(error)"])
            return nil
        }
    }

    private func resolved(_ name: String, _ reply: DNSSDOperation.Reply) {
        guard case .resolved(let error, let interface, let host, let port, let txt) = reply,
            var instance = instances[name]
        else { return }
        instance.resolve?.cancel()
        instance.resolve = nil
        guard error == Int32(kDNSServiceErr_NoError) else {
            logger.debug("resolve failed", metadata: ["instance": "\(name)", "error": "\(error)"])
            instances[name] = instance
            return
        }
        let record: NodeRecord
        do {
            record = try NodeRecord(txt: try TXTRecord(bytes: txt))
        } catch {
            instances[name] = instance
            continuation?.yield(.rejected(instanceName: name, reason: error.message))
            return
        }
        let previous = instance.sighting
        var sighting = Sighting(instanceName: name, record: record, host: host, port: port, addresses: [])
        if previous?.host == host { sighting.addresses = previous?.addresses ?? [] }
        instance.sighting = sighting
        for query in instance.queries { query.cancel() }
        instance.generation += 1
        instance.queries = [kDNSServiceType_A, kDNSServiceType_AAAA].compactMap {
            startQuery(name, host: host, interface: interface, type: UInt16($0))
        }
        instances[name] = instance
        if !sighting.addresses.isEmpty { continuation?.yield(.found(sighting)) }
        let generation = instance.generation
        let window = queryWindow
        Task {
            try? await Task.sleep(for: window)
            self.finishQueries(name, generation: generation)
        }
    }

    private func finishQueries(_ name: String, generation: Int) {
        guard var instance = instances[name], instance.generation == generation else { return }
        for query in instance.queries { query.cancel() }
        instance.queries = []
        instances[name] = instance
    }

    // MARK: Addresses

    private func startQuery(_ name: String, host: String, interface: UInt32, type: UInt16) -> DNSSDOperation? {
        let context = context { $0.answered(name, $1) }
        do {
            return try operation("DNSServiceQueryRecord", context: context) { ref, pointer in
                DNSServiceQueryRecord(
                    ref, 0, interface, host, type, UInt16(kDNSServiceClass_IN),
                    { _, flags, interface, error, _, type, _, length, data, _, context in
                        let bytes = data.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(length))) } ?? []
                        DNSSDOperation.Context.from(context).handle(
                            .record(
                                error: error, added: flags & DNSServiceFlags(kDNSServiceFlagsAdd) != 0,
                                interface: interface, type: type, data: bytes))
                    }, pointer)
            }
        } catch {
            logger.debug("address query failed to start", metadata: ["host": "\(host)", "reason": "\(error)"])
            return nil
        }
    }

    private func answered(_ name: String, _ reply: DNSSDOperation.Reply) {
        guard case .record(let error, let added, let interface, _, let data) = reply,
            error == Int32(kDNSServiceErr_NoError), added,
            var instance = instances[name], var sighting = instance.sighting,
            let address = Self.presentation(data, interface: interface),
            !sighting.addresses.contains(address)
        else { return }
        sighting.addresses.append(address)
        // IPv4 first, then global IPv6, then link-local.
        sighting.addresses.sort { Self.rank($0) < Self.rank($1) }
        instance.sighting = sighting
        instances[name] = instance
        continuation?.yield(.found(sighting))
    }

    package static func rank(_ address: String) -> Int {
        address.contains(":") ? (address.lowercased().hasPrefix("fe80") ? 2 : 1) : 0
    }

    /// The text form of an A or AAAA record's data; link-local IPv6 gets `%interface`.
    package static func presentation(_ data: [UInt8], interface: UInt32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family: Int32
        switch data.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return nil
        }
        let ok = data.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) != nil }
        guard ok else { return nil }
        var text = Self.string(buffer)
        if family == AF_INET6, data[0] == 0xFE, data[1] & 0xC0 == 0x80 {
            var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
            if if_indextoname(interface, &name) != nil { text += "%" + Self.string(name) }
        }
        return text
    }

    private static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
