import ArgumentParser
import Foundation
import WeMeetControl
import WeMeetModel

/// `--file PATH` (repeatable) and `--voice PATH` on send, post and moments post.
struct AttachmentOptions: ParsableArguments {
    @Option(name: .customLong("file"), help: "Attach a photo or file (repeat for several).") var files: [String] = []
    @Option(name: .customLong("voice"), help: "Attach a voice note.") var voice: String?

    var isEmpty: Bool { files.isEmpty && voice == nil }

    /// The request body of a message or post with attachments.
    struct Body: Encodable {
        var text: String
        var attachments: [String]
        /// A reply's quoted message ID (direct messages only).
        var quote: String?
    }

    func validate() throws {
        for path in files + [voice].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path) {
            throw ValidationError("cannot read \(path)")
        }
        if let voice, !VoiceFile.isAudio(VoiceFile.head(voice)) {
            throw ValidationError(
                "--voice needs an audio file (Ogg, Opus, WAV, MP3, M4A, WebM or FLAC); \(voice) is not one: send it with --file"
            )
        }
    }

    /// Streams each file to the node; returns the attachment IDs.
    func upload(_ client: ControlClient) async throws(NodeError) -> [String] {
        var ids: [String] = []
        for path in files { ids.append(try await client.upload(file: path).id) }
        if let voice {
            let duration = VoiceFile.wavDuration(VoiceFile.head(voice))
            ids.append(try await client.upload(file: voice, voice: true, durationMs: duration).id)
        }
        return ids
    }
}

extension Attachment {
    /// `[photo 1.2 MB beach.jpg]` (the name is the sender's claim, escaped).
    var shown: String { "[\(label) \(Attachment.size(size)) \(name.shown)]" }

    static func size(_ bytes: UInt64) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return String(format: "%.1f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.0f kB", value / 1e3) }
        return "\(bytes) B"
    }
}

/// `wemeet attachments`: every attachment this node knows and where its blob stands.
struct Attachments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachments", abstract: "List the photos, voice notes and files this node knows.")
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: AttachmentList
        do { list = try await ControlClient(home: homeOptions.nodeHome).get("/v1/attachments") } catch {
            throw UserError(error)
        }
        try output.emit(list) {
            guard !list.attachments.isEmpty else {
                return "no attachments yet — `wemeet send FRIEND --file PATH` sends one"
            }
            return list.attachments.map { item in
                var state = item.state.rawValue
                if item.state == .fetching || (item.state == .waiting && item.bytes > 0) {
                    state += " \(Attachment.size(item.bytes)) (\(item.percent)%)"
                }
                if let reason = item.reason { state += ": \(reason.shown)" }
                return
                    "\(item.attachment.id.prefix(8))  \(item.attachment.shown)  from \(item.from.shortForm)  \(state)"
            }.joined(separator: "\n")
        }
    }
}

/// `wemeet attachment save ID [PATH]`.
struct AttachmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment", abstract: "Save an attachment to a file, or stop fetching it.",
        subcommands: [AttachmentSave.self, AttachmentCancel.self])
}

/// `wemeet attachment cancel ID`: stop a fetch; a later `save` goes on from where it stopped.
struct AttachmentCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Stop fetching an attachment (what arrived is kept for a later save).")
    @Argument(help: "The attachment's ID (or its first 8 digits).") var id: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let status: AttachmentStatus
        do {
            status = try await ControlClient(home: homeOptions.nodeHome).delete("/v1/attachments/\(id)/fetch")
        } catch {
            throw UserError(error)
        }
        try output.emit(status) {
            "stopped fetching \(status.attachment.shown); `wemeet attachment save \(status.attachment.id.prefix(8))` goes on from where it stopped"
        }
    }
}

struct AttachmentSave: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save", abstract: "Fetch an attachment if needed (with a progress bar) and write the file.")
    @Argument(help: "The attachment's ID (or its first 8 digits).") var id: String
    @Argument(help: "Where to write it (default: its name, in this directory).") var path: String?
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = ControlClient(home: homeOptions.nodeHome)
        do {
            var status: AttachmentStatus = try await client.post(
                "/v1/attachments/\(id)/fetch", json: [String: String]())
            let started = Date()
            let startBytes = status.bytes
            var lastDraw = Date.distantPast
            // A progress bar redrawn in place on a terminal; elsewhere (a pipe, a log) one line
            // each time the state changes, never a bar drawn over and over.
            let terminal = isatty(STDERR_FILENO) != 0
            var lastTold: String?
            while status.state != .complete {
                if status.state == .refused {
                    throw NodeError(code: .conflict, message: "refused: \(status.reason ?? "a quota")")
                }
                if !output.json, terminal, Date().timeIntervalSince(lastDraw) >= 0.2 {
                    lastDraw = Date()
                    Self.draw(status, since: started, from: startBytes)
                } else if !output.json, !terminal {
                    let told = status.state.rawValue + (status.reason.map { ": \($0)" } ?? "")
                    if told != lastTold {
                        lastTold = told
                        FileHandle.standardError.write(Data("\(status.attachment.shown) \(told.shown)\n".utf8))
                    }
                }
                try? await Task.sleep(for: .milliseconds(200))
                status = try await client.get("/v1/attachments/\(status.attachment.id)")
            }
            if !output.json, terminal { Self.draw(status, since: started, from: startBytes) }
            // Without a PATH: the sender's name, cleaned, never replacing a file or following
            // a link (`name (1).ext` when it is taken).
            let target = try await client.download(
                status.attachment.id, to: path ?? SafeFileName.clean(status.attachment.name), exclusive: path == nil)
            if !output.json, terminal { FileHandle.standardError.write(Data("\n".utf8)) }
            try output.emit(status) { "saved \(status.attachment.shown) to \(target.shown)" }
        } catch let error as NodeError {
            throw UserError(error)
        }
    }

    /// `[#########.........] 45.0%  90.0 MB of 200.0 MB  12.3 MB/s  9 s left` on stderr.
    static func draw(_ status: AttachmentStatus, since started: Date, from startBytes: UInt64) {
        let width = 30
        let filled = Int(status.percent / 100 * Double(width))
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(status.bytes - min(startBytes, status.bytes)) / elapsed
        let left = rate > 0 ? Double(status.attachment.size - status.bytes) / rate : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let waiting = status.state == .waiting ? "  waiting: \(status.reason ?? "no holder online")" : ""
        let line =
            "\r[\(bar)] \(String(format: "%5.1f", status.percent))%  \(Attachment.size(status.bytes)) of \(Attachment.size(status.attachment.size))  \(Attachment.size(UInt64(rate)))/s  \(Int(left)) s left\(waiting)"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// `wemeet settings automatic-size SIZE`: attachments up to SIZE are fetched as soon as
/// their message or post arrives.
struct AutomaticSize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "automatic-size", abstract: "Set the size up to which attachments are fetched by themselves.",
        discussion: """
            Photos and voice notes up to this size appear as soon as their message or post \
            arrives; larger files wait until you ask (`wemeet attachment save ID`). The default \
            is 8 MiB; 0 fetches nothing by itself. Sizes take KiB, MiB, GiB (e.g. 32MiB).
            """)
    @Argument(help: "The size: bytes, or with KiB, MiB, GiB.") var size: String
    @OptionGroup var homeOptions: HomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard let bytes = QuotaText.parse(size) else {
            throw ValidationError("\(size) is not a size (e.g. 8MiB, 1GiB)")
        }
        guard bytes <= SettingsValues.automaticAttachmentLimit else {
            throw ValidationError("\(size) is more than the largest automatic size, 1 TiB")
        }
    }

    func run() async throws {
        let values = try await homeOptions.changeSettings(
            SettingsValues(automaticAttachmentBytes: QuotaText.parse(size) ?? 0))
        try output.emit(values) {
            let bytes = values.automaticAttachmentBytes ?? 0
            return bytes == 0
                ? "automatic-size: 0 — attachments are fetched only when you ask"
                : "automatic-size: \(QuotaText.bytes(bytes)) — attachments up to this size are fetched as they arrive"
        }
    }
}
