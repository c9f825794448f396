import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetModel
import WeMeetNode
import WeMeetProcess

#if canImport(Glibc)
    import Glibc
#endif

/// Issue "attachments": two real `wemeet node` processes, friends, on loopback. A large
/// file goes from Alice to Bob (MB/s against the ChaCha20-Poly1305 ceiling and a plain
/// loopback TCP copy measured in the same run), Bob's resident memory is sampled during it,
/// a DM goes every 20 ms meanwhile (send → received, through both control APIs), and a
/// second transfer is `kill -9`ed at 50 % and resumed (the bytes sent again).
enum AttachmentBenchmark {
    static func run(ceilings: Ceilings, scale: Double) async throws -> [Figure] {
        let size = scale < 1 ? 64 << 20 : 1 << 30
        let resumeSize = scale < 1 ? 64 << 20 : 256 << 20
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wemeet-bench-blob-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (aliceHome, bobHome) = (root + "/alice", root + "/bob")
        try await befriend(aliceHome, bobHome)
        let wemeet = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("wemeet").path
        let alice = try ChildProcess(
            label: "Alice", executable: wemeet,
            arguments: ["node", "--home", aliceHome, "--listen", "127.0.0.1:0", "--no-mdns"])
        defer { alice.stop() }
        let port = try listeningPort(alice)
        let bobArguments = [
            "node", "--home", bobHome, "--listen", "127.0.0.1:0", "--no-mdns", "--peer", "127.0.0.1:\(port)",
        ]
        var bob = try ChildProcess(label: "Bob", executable: wemeet, arguments: bobArguments)
        defer { bob.stop() }
        try bob.awaitLine(containing: "peer connected", "name=Alice")
        try bob.awaitLine(containing: "listening on socket path")
        let (aliceAPI, bobAPI) = (
            ControlClient(home: NodeHome(path: aliceHome)), ControlClient(home: NodeHome(path: bobHome))
        )
        let board = try await EventBoard.follow(bobAPI)
        // A 1 GiB file is past the default 1 GiB per author: Bob's user raises it, as people would.
        let _: SettingsValues = try await bobAPI.post(
            "/v1/settings", json: SettingsValues(quotas: ["author_bytes": 4 << 30]))

        // The transfer, with Bob's memory sampled and DMs sent meanwhile.
        RadarBenchmark.progress("attachments: writing and uploading \(size >> 20) MiB")
        let file = root + "/film.bin"
        try writeRandomFile(file, size: size)
        let uploading = ContinuousClock.now
        let film = try await aliceAPI.upload(file: file)
        let uploadRate = Double(size) / (ContinuousClock.now - uploading).seconds
        try FileManager.default.removeItem(atPath: file)
        try await send("the film", attachments: [film.id], from: aliceAPI)
        try await board.wait(for: .found(film.id))
        let receiver = bob.pid
        let rest = residentBytes(receiver)
        let peak = Peak(rest)
        let sampler = Task {
            while !Task.isCancelled {
                await peak.record(residentBytes(receiver))
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let pinger = Task {
            var latencies: [Double] = []
            var i = 0
            while !Task.isCancelled {
                let label = "ping \(i)"
                i += 1
                let sentAt = ContinuousClock.now
                guard (try? await send(label, from: aliceAPI)) != nil else { break }
                guard (try? await board.wait(for: .message(label))) != nil else { break }
                latencies.append((ContinuousClock.now - sentAt).seconds * 1000)
                try? await Task.sleep(for: .milliseconds(20))
            }
            return latencies
        }
        RadarBenchmark.progress("attachments: Bob fetches \(size >> 20) MiB")
        let started = ContinuousClock.now
        let _: AttachmentStatus = try await bobAPI.post("/v1/attachments/\(film.id)/fetch", json: [String: String]())
        try await board.wait(for: .complete(film.id))
        let rate = Double(size) / (ContinuousClock.now - started).seconds
        pinger.cancel()
        sampler.cancel()
        let latencies = await pinger.value
        let top = await peak.top
        let tcp = tcpCopyRate(bytes: size)

        // Resuming: Bob is killed at 50 % of a second file, restarted, and finishes it.
        RadarBenchmark.progress("attachments: \(resumeSize >> 20) MiB, Bob killed at 50 % and restarted")
        let second = root + "/second.bin"
        try writeRandomFile(second, size: resumeSize)
        let clip = try await aliceAPI.upload(file: second)
        try FileManager.default.removeItem(atPath: second)
        try await send("the clip", attachments: [clip.id], from: aliceAPI)
        try await board.wait(for: .found(clip.id))
        let servedBefore = try await aliceAPI.get("/v1/attachments", as: AttachmentList.self).servedBytes
        let _: AttachmentStatus = try await bobAPI.post("/v1/attachments/\(clip.id)/fetch", json: [String: String]())
        try await board.wait(for: .progress(clip.id, atLeast: UInt64(resumeSize / 2)))
        bob.stop(signal: SIGKILL)
        board.stop()
        let killedMidway = FileManager.default.fileExists(atPath: bobHome + "/blobs/\(clip.id).part")
        bob = try ChildProcess(label: "Bob", executable: wemeet, arguments: bobArguments)
        try bob.awaitLine(containing: "listening on socket path")
        let restarted = try await EventBoard.follow(bobAPI)
        defer { restarted.stop() }
        let status: AttachmentStatus = try await bobAPI.get("/v1/attachments/\(clip.id)")
        if status.state != .complete { try await restarted.wait(for: .complete(clip.id)) }
        let served = try await aliceAPI.get("/v1/attachments", as: AttachmentList.self).servedBytes - servedBefore
        let chunks = (resumeSize + (1 << 18) - 1) >> 18
        let resent = Double(served) - Double(resumeSize + chunks * 16)
        let mb = 1_000_000.0
        return [
            Figure(
                name: "attachments: sealing an upload (\(size >> 20) MiB, control API)", value: uploadRate / mb,
                unit: "MB/s", ceiling: ceilings.chachaPolyBytesPerSecond / mb),
            Figure(
                name: "attachments: \(size >> 20) MiB between two nodes on loopback", value: rate / mb, unit: "MB/s",
                ceiling: ceilings.chachaPolyBytesPerSecond / mb, target: 0.5),
            Figure(
                name: "attachments: the same against a plain loopback TCP copy", value: rate / mb, unit: "MB/s",
                ceiling: tcp / mb),
            Figure(
                name: "attachments: receiver resident memory above rest, peak",
                value: Double(top - min(top, rest)) / mb,
                unit: "MB", target: 64, lowerIsBetter: true),
            Figure(
                name: "attachments: DM send → received during the transfer, p50 (\(latencies.count) DMs)",
                value: RadarBenchmark.median(latencies), unit: "ms"),
            Figure(
                name: "attachments: DM send → received during the transfer, p99",
                value: RadarBenchmark.percentile(latencies, 0.99), unit: "ms", target: 20, lowerIsBetter: true),
            Figure(
                name: "attachments: bytes sent again on resuming after kill -9 at 50 % of \(resumeSize >> 20) MiB"
                    + (killedMidway ? "" : " (it finished before the kill)"),
                value: max(0, resent) / mb, unit: "MB"),
        ]
    }

    /// Makes the two homes friends (in this process, on an in-memory network).
    static func befriend(_ a: String, _ b: String) async throws {
        let network = InMemoryNetwork()
        let alice = try await BenchNode.start(home: a, name: "Alice", network: network)
        let bob = try await BenchNode.start(home: b, name: "Bob", network: network)
        try await MessageBenchmark.pair(alice.node, bob.node)
        await alice.stop()
        await bob.stop()
    }

    /// The port of `node running … listen=127.0.0.1:PORT`.
    static func listeningPort(_ node: ChildProcess) throws -> Int {
        let line = try node.awaitLine(containing: "node running")
        guard let range = line.range(of: #"listen=127\.0\.0\.1:(\d+)"#, options: .regularExpression),
            let port = Int(line[range].split(separator: ":").last ?? "")
        else { throw BenchmarkError("no listening port in: \(line)") }
        return port
    }

    /// Writes `size` random bytes to `path`, 16 MiB at a time.
    static func writeRandomFile(_ path: String, size: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw BenchmarkError("cannot write \(path)") }
        defer { try? handle.close() }
        let piece = Random.bytes(count: 16 << 20)
        var written = 0
        while written < size {
            let count = min(piece.count, size - written)
            try handle.write(contentsOf: piece[0..<count])
            written += count
        }
    }

    static func send(_ text: String, attachments: [String] = [], from client: ControlClient) async throws {
        struct Body: Encodable {
            var text: String
            var attachments: [String]
        }
        let _: DirectMessage = try await client.post(
            "/v1/messages/Bob", json: Body(text: text, attachments: attachments))
    }

    /// `VmRSS` of process `pid`, in bytes.
    static func residentBytes(_ pid: pid_t) -> UInt64 {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }

    /// Bytes per second of a plain copy over a loopback TCP connection (256 KiB writes).
    static func tcpCopyRate(bytes: Int) -> Double {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                _ = bind(listener, raw, length)
                _ = getsockname(listener, raw, &length)
            }
        }
        listen(listener, 1)
        let port = address.sin_port
        let finished = DispatchSemaphore(value: 0)
        let reader = Thread {
            defer { finished.signal() }
            let connection = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 1 << 18)
            while buffer.withUnsafeMutableBytes({ read(connection, $0.baseAddress, $0.count) }) > 0 {}
            close(connection)
        }
        reader.start()
        defer { finished.wait() }
        let sender = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_addr.s_addr = inet_addr("127.0.0.1")
        target.sin_port = port
        _ = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(sender, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        let buffer = Random.bytes(count: 1 << 18)
        let started = ContinuousClock.now
        var sent = 0
        while sent < bytes {
            let n = buffer.withUnsafeBytes { write(sender, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            sent += n
        }
        close(sender)
        finished.wait()
        finished.signal()  // for the deferred wait
        return Double(sent) / (ContinuousClock.now - started).seconds
    }
}

/// The highest value recorded.
actor Peak {
    private(set) var top: UInt64
    init(_ start: UInt64) { top = start }
    func record(_ value: UInt64) { top = max(top, value) }
}

/// The events of one node, followed through its control API, for the benchmark to await.
struct EventBoard: Sendable {
    /// What to wait for.
    enum Awaited: Sendable {
        case found(String)
        case complete(String)
        case progress(String, atLeast: UInt64)
        case message(String)

        func matches(_ event: NodeEvent) -> Bool {
            switch self {
            case .found(let id): event.type == .attachmentFound && event.attachment == id
            case .complete(let id): event.type == .attachmentComplete && event.attachment == id
            case .progress(let id, let bytes):
                event.type == .attachmentProgress && event.attachment == id && (event.bytes ?? 0) >= bytes
            case .message(let text): event.type == .dmReceived && event.detail == text
            }
        }
    }

    /// The events so far and who waits for which.
    actor Book {
        private var seen: [NodeEvent] = []
        private var waiting: [(id: Int, awaited: Awaited, continuation: CheckedContinuation<Bool, Never>)] = []
        private var nextID = 0
        private var ended = false

        func saw(_ event: NodeEvent) {
            seen.append(event)
            waiting.removeAll { _, awaited, continuation in
                guard awaited.matches(event) else { return false }
                continuation.resume(returning: true)
                return true
            }
        }

        func end() {
            ended = true
            for waiter in waiting { waiter.continuation.resume(returning: false) }
            waiting = []
        }

        /// Whether an event matching `awaited` arrives within `timeout`.
        func wait(for awaited: Awaited, timeout: Duration) async -> Bool {
            if seen.contains(where: awaited.matches) { return true }
            if ended { return false }
            let id = nextID
            nextID += 1
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
            return await withCheckedContinuation { waiting.append((id, awaited, $0)) }
        }

        private func expire(_ id: Int) {
            guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
            waiting.remove(at: index).continuation.resume(returning: false)
        }
    }

    let book: Book
    let follower: Task<Void, Never>

    /// Follows `client`'s events from now on.
    static func follow(_ client: ControlClient) async throws -> EventBoard {
        let book = Book()
        let (subscribed, ready) = AsyncStream<Void>.makeStream()
        let follower = Task {
            try? await client.followEvents(subscribed: { ready.finish() }) { event in
                await book.saw(event)
                return true
            }
            ready.finish()
            await book.end()
        }
        for await _ in subscribed {}
        return EventBoard(book: book, follower: follower)
    }

    /// Returns once an event matching `awaited` has arrived; throws if the stream ends
    /// first or none comes within `timeout`.
    func wait(for awaited: Awaited, timeout: Duration = .seconds(120)) async throws {
        guard await book.wait(for: awaited, timeout: timeout) else {
            throw BenchmarkError("no \(awaited) within \(timeout) (or the node's event stream ended)")
        }
    }

    func stop() { follower.cancel() }
}
