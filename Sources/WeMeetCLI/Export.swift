import ArgumentParser
import Foundation
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
        let store = try Store.open(homeOptions)
        guard await store.feed(id) != nil else { throw UserError("no feed \(feed) in this store") }
        var next: UInt64 = 1
        while true {
            let batch = try await store.entries(of: id, seqs: next...(next + 999))
            if batch.isEmpty { break }
            for entry in batch { FileHandle.standardOutput.write(Data(entry.encoded)) }
            next += UInt64(batch.count)
        }
    }
}
