import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode
import WeMeetStore

/// `wemeet export --feed ID`: a feed's entries in the wire encoding, concatenated, on stdout.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a feed's entries in the wire encoding to stdout (Protocol.md §7.1).",
        discussion: "Entries are self-delimiting: each one's length follows from its payload-length field.")

    @Option(help: "The feed ID (64 hex digits; see `wemeet store feeds`).")
    var feed: String

    @OptionGroup var homeOptions: HomeOptions

    func validate() throws {
        guard (try? FeedID(hex: feed)) != nil else {
            throw ValidationError("--feed takes a feed ID of 64 hex digits (see `wemeet store feeds`)")
        }
    }

    func run() async throws {
        let id = try FeedID(hex: feed)
        switch try Store.access(homeOptions) {
        case .direct(let store):
            guard await store.feed(id) != nil else { throw UserError("no feed \(feed) in this store") }
            for try await chunk in WeMeetNode.Node.export(id, from: store) {
                FileHandle.standardOutput.write(Data(chunk))
            }
        case .node(let client):
            // The running node holds the store: it streams the feed through its control API.
            let data: Data
            do { data = try await client.request(.GET, "/v1/store/feeds/\(id)/entries") } catch {
                throw UserError(error)
            }
            FileHandle.standardOutput.write(data)
        }
    }
}
