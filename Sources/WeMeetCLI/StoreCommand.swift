import ArgumentParser
import Foundation
import Logging
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// `wemeet store …`: inspecting and maintaining the local store.
struct Store: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Verify, repair and inspect the local store.",
        subcommands: [Verify.self, Repair.self, Reindex.self, Forks.self, Feeds.self, AppendTest.self])

    /// Opens the store of the home in `options`, turning store errors into one line.
    static func open(_ options: HomeOptions, recovery: WeMeetStore.Store.Recovery = .normal) throws -> WeMeetStore.Store
    {
        let home = options.nodeHome
        try userFacing { try home.checkPrivate() }
        do {
            return try WeMeetStore.Store(directory: home.storePath, recovery: recovery, logger: .cli)
        } catch {
            throw UserError(error.message)
        }
    }

    /// How a command reaches the store: itself, or through the running node that holds the
    /// store's lock (its control API), so nobody has to stop a node to verify or export.
    enum Access {
        case direct(WeMeetStore.Store)
        case node(ControlClient)
    }

    static func access(_ options: HomeOptions) throws -> Access {
        let home = options.nodeHome
        try userFacing { try home.checkPrivate() }
        do {
            return .direct(try WeMeetStore.Store(directory: home.storePath, logger: .cli))
        } catch  where error.code == .locked {
            return .node(ControlClient(home: home))
        } catch {
            throw UserError(error.message)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-verify every entry: checksums, signatures and hash chains.")
        @OptionGroup var homeOptions: HomeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let result: StoreVerification
            switch try Store.access(homeOptions) {
            case .direct(let store):
                do { result = try await WeMeetNode.Node.verify(store) } catch { throw UserError(error.message) }
            case .node(let client):
                do { result = try await client.get("/v1/store/verify") } catch { throw UserError(error) }
            }
            try output.emit(result) {
                "OK: \(result.entries) entries in \(result.feeds) feeds verified, \(result.forks) forks"
                    + (result.recovery.map { "\n\($0)" } ?? "")
            }
        }
    }

    struct Repair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut the log at the first damaged record (entries after it are lost; peers can resend them).")
        @OptionGroup var homeOptions: HomeOptions

        func run() async throws {
            let store = try Store.open(homeOptions, recovery: .repair)
            show(store.recoveryNote ?? "nothing to repair: the log is intact")
            show("\(await store.entryCount) entries remain")
        }
    }

    struct Reindex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the indexes from the log (they are rebuilt at every start; this reports them).")
        @OptionGroup var homeOptions: HomeOptions

        func run() async throws {
            let clock = ContinuousClock()
            let start = clock.now
            let store = try Store.open(homeOptions)
            let elapsed = clock.now - start
            show("indexed \(await store.entryCount) entries in \(await store.allFeeds().count) feeds in \(elapsed)")
        }
    }

    struct Forks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List forks: feeds frozen by conflicting entries.")
        @OptionGroup var homeOptions: HomeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let forks: [StoreForkRow]
            switch try Store.access(homeOptions) {
            case .direct(let store): forks = await WeMeetNode.Node.forks(of: store)
            case .node(let client):
                do { forks = try await client.get("/v1/store/forks", as: StoreForkList.self).forks } catch {
                    throw UserError(error)
                }
            }
            try output.emit(forks) {
                forks.isEmpty
                    ? "no forks"
                    : forks.map {
                        "feed \($0.feed) by \($0.author): seq \($0.seq) kept \($0.kept), rejected \($0.rejected)"
                    }
                    .joined(separator: "\n")
            }
        }
    }

    struct Feeds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the feeds in the store.")
        @OptionGroup var homeOptions: HomeOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let rows: [StoreFeedRow]
            switch try Store.access(homeOptions) {
            case .direct(let store): rows = await WeMeetNode.Node.feeds(of: store)
            case .node(let client):
                do { rows = try await client.get("/v1/store/feeds", as: StoreFeedList.self).feeds } catch {
                    throw UserError(error)
                }
            }
            try output.emit(rows) {
                rows.map { "\($0.feed)  \($0.kind)  \($0.head) entries\($0.frozen ? "  FROZEN" : "")  by \($0.author)" }
                    .joined(separator: "\n")
            }
        }
    }

    /// For crash tests: appends entries to this node's control feed, printing `ack SEQ` as
    /// each becomes durable.
    struct AppendTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "append-test", abstract: "Append test entries, printing each acknowledgement.",
            shouldDisplay: false)
        @OptionGroup var homeOptions: HomeOptions
        @Option var count = 1000
        @Option var concurrency = 4

        func run() async throws {
            let identity = try userFacing { try NodeIdentity.load(from: homeOptions.nodeHome) }
            let store = try Store.open(homeOptions)
            let key = identity.privateKey
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    let feed = WeMeetStore.Feed(
                        author: key.publicKey, kind: .group, audience: [UInt8](repeating: UInt8(lane), count: 32))
                    group.addTask {
                        for _ in 0..<(count / concurrency) {
                            let entry = try await store.append(
                                to: feed, contentType: 0xffff, payload: Random.bytes(count: 200), key: key)
                            FileHandle.standardOutput.write(Data("ack \(lane) \(entry.seq) \(entry.id)\n".utf8))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
