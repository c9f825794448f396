import Foundation
import Testing
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetTestSupport

/// `wemeet send --file`, `wemeet attachments` and `wemeet attachment save` (Protocol.md §13).
@Suite("wemeet attachments", .timeLimit(.minutes(2)))
struct AttachmentCommandTests {
    /// `wemeet chat`'s live view shows a photo that arrives while it runs (seams issue,
    /// item 7: it showed the text only).
    @Test func aPhotoArrivingDuringWemeetChatIsShownInItsLiveView() async throws {
        let (aliceHome, bobHome, files) = try (TemporaryDirectory(), TemporaryDirectory(), TemporaryDirectory())
        defer { for home in [aliceHome, bobHome, files] { home.remove() } }
        try await makeFriends([aliceHome.path, bobHome.path], names: ["Alice", "Bob"])
        let network = InMemoryNetwork()
        let (_, aliceTask, _) = try await HostileTextTests.start(
            home: aliceHome.path, discovery: network, controlAPI: true)
        defer { aliceTask.cancel() }
        let (bob, bobTask, _) = try await HostileTextTests.start(
            home: bobHome.path, discovery: network, controlAPI: true)
        defer { bobTask.cancel() }
        await HostileTextTests.waitUntil(bob) { await bob.status().peers.count == 1 }
        let chat = try ChildProcess(
            label: "chat", executable: try wemeetExecutable(), arguments: ["chat", "Alice", "--home", bobHome.path],
            standardOutputToo: true, keepingInputOpen: true)
        defer { chat.stop() }
        try await offThePool { try chat.awaitLine(containing: "following Alice live") }
        let photo = files.path + "/beach.png"
        try Data(AttachmentFixtures.photo(2_000)).write(to: URL(fileURLWithPath: photo))
        let sent = try await HostileTextTests.run([
            "send", "Bob", "look at this", "--file", photo, "--home", aliceHome.path,
        ])
        #expect(sent.status == 0, "\(sent.stderr)")
        let line = try await offThePool { try chat.awaitLine(containing: "Alice: look at this", "beach.png") }
        #expect(line.contains("[photo"), "\(line)")
    }

    @Test func aFileSentFromTheCommandLineIsListedAndSavedByteIdentical() async throws {
        let (aliceHome, bobHome, files) = try (TemporaryDirectory(), TemporaryDirectory(), TemporaryDirectory())
        defer { for home in [aliceHome, bobHome, files] { home.remove() } }
        try await makeFriends([aliceHome.path, bobHome.path], names: ["Alice", "Bob"])
        let network = InMemoryNetwork()
        let (_, aliceTask, _) = try await HostileTextTests.start(
            home: aliceHome.path, discovery: network, controlAPI: true)
        let (bob, bobTask, _) = try await HostileTextTests.start(
            home: bobHome.path, discovery: network, controlAPI: true)
        await HostileTextTests.waitUntil(bob) { await bob.status().peers.count == 1 }
        // A 10 MB file: over the automatic size, so Bob fetches it when asked.
        let bytes = Random.bytes(count: 10_000_000)
        let source = files.path + "/notes.pdf"
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        let found = bob.events.subscribe()
        let sent = try await HostileTextTests.run([
            "send", "Bob", "the notes", "--file", source, "--home", aliceHome.path,
        ])
        #expect(sent.status == 0, "\(sent.stderr)")
        for await event in found where event.type == .attachmentFound { break }
        let listed = try await HostileTextTests.run(["attachments", "--home", bobHome.path])
        #expect(
            listed.stdout.contains("[file 10.0 MB notes.pdf]") && listed.stdout.contains("on-demand"),
            "\(listed.stdout)")
        let json = try await HostileTextTests.run(["attachments", "--json", "--home", bobHome.path])
        let list = try ControlJSON.decoder.decode(AttachmentList.self, from: Data(json.stdout.utf8))
        let id = try #require(list.attachments.first?.attachment.id)
        #expect(list.attachments.first?.attachment.mediaType == "application/pdf")
        let messages = try await HostileTextTests.run(["messages", "Alice", "--home", bobHome.path])
        #expect(messages.stdout.contains("the notes [file 10.0 MB notes.pdf]"), "\(messages.stdout)")
        // Offered (over the automatic size): a cancel before any fetch leaves it offered.
        let stop = try await HostileTextTests.run([
            "attachment", "cancel", String(id.prefix(8)), "--home", bobHome.path,
        ])
        #expect(stop.status == 0 && stop.stdout.contains("stopped fetching [file 10.0 MB notes.pdf]"), "\(stop.stdout)")
        let target = files.path + "/saved.pdf"
        let saved = try await HostileTextTests.run([
            "attachment", "save", String(id.prefix(8)), target, "--home", bobHome.path,
        ])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("saved [file 10.0 MB notes.pdf]"), "\(saved.stdout)")
        // Not a terminal: no progress bar drawn over and over, a line per state at most.
        #expect(!saved.stderr.contains("\r") && saved.stderr.split(separator: "\n").count <= 3, "\(saved.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(bytes))
        // Here now: nothing to cancel, and the command says so.
        let cancel = try await HostileTextTests.run([
            "attachment", "cancel", String(id.prefix(8)), "--home", bobHome.path,
        ])
        #expect(cancel.status != 0 && cancel.stderr.contains("already here; nothing to cancel"), "\(cancel.stderr)")
        // Without a PATH: the sender's name in the working directory, never replacing a file
        // there nor following a link (an attacker's name could point anywhere).
        let mine = Data("mine".utf8)
        try mine.write(to: URL(fileURLWithPath: files.path + "/notes.pdf"))
        let victim = files.path + "/victim"
        try FileManager.default.createSymbolicLink(atPath: files.path + "/notes (1).pdf", withDestinationPath: victim)
        let executable = try wemeetExecutable()
        for expected in ["notes (2).pdf", "notes (3).pdf"] {
            let plain = try await offThePool {
                try Spawn.run(
                    "/usr/bin/env", ["-C", files.path, executable, "attachment", "save", id, "--home", bobHome.path])
            }
            #expect(plain.status == 0 && plain.stdout.contains(expected), "\(plain.stdout) \(plain.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: files.path + "/" + expected)) == Data(bytes))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: files.path + "/notes.pdf")) == mine)
        #expect(!FileManager.default.fileExists(atPath: victim))
        // A voice note must be audio; a WAV's length is read from its header.
        let photo = files.path + "/beach.jpg"
        try Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 100)).write(to: URL(fileURLWithPath: photo))
        let notVoice = try await HostileTextTests.run(["send", "Bob", "hi", "--voice", photo, "--home", aliceHome.path])
        #expect(notVoice.status == 64 && notVoice.stderr.contains("--voice needs an audio file"), "\(notVoice.stderr)")
        let wav = files.path + "/hello.wav"
        try Data(Self.wav(milliseconds: 1_500)).write(to: URL(fileURLWithPath: wav))
        let voiceSent = try await HostileTextTests.run([
            "send", "Bob", "", "--voice", wav, "--json", "--home", aliceHome.path,
        ])
        #expect(voiceSent.status == 0, "\(voiceSent.stderr)")
        let voiceMessage = try ControlJSON.decoder.decode(DirectMessage.self, from: Data(voiceSent.stdout.utf8))
        #expect(voiceMessage.attachments?.first?.durationMs == 1_500 && voiceMessage.attachments?.first?.voice == true)
        let missing = try await HostileTextTests.run(["attachment", "save", "ffffffff", "--home", bobHome.path])
        #expect(missing.status != 0 && missing.stderr.contains("no attachment ffffffff"), "\(missing.stderr)")
        await HostileTextTests.stop(aliceTask)
        await HostileTextTests.stop(bobTask)
    }

    /// A WAV file of silence: 8 kHz, mono, 16-bit, `milliseconds` long.
    static func wav(milliseconds: Int) -> [UInt8] {
        func le(_ value: Int, _ count: Int) -> [UInt8] { (0..<count).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        let data = milliseconds * 16
        return Array("RIFF".utf8) + le(36 + data, 4) + Array("WAVEfmt ".utf8) + le(16, 4) + le(1, 2) + le(1, 2)
            + le(8_000, 4) + le(16_000, 4) + le(2, 2) + le(16, 2) + Array("data".utf8) + le(data, 4)
            + [UInt8](repeating: 0, count: data)
    }

    /// A peer's file name as a saved file's name: no path, no control characters, no bidi
    /// override that makes `gpj.exe` read as `exe.jpg`, no zero-width or format characters.
    @Test(arguments: [
        ("photo\u{202E}gpj.exe", "photogpj.exe"), ("../../.bashrc", "bashrc"), ("a\u{200B}b\u{2066}c\u{FEFF}", "abc"),
        ("line\nbreak\u{2028}", "linebreak"), ("\u{1B}[2Jx", "[2Jx"), ("", "attachment"), ("..", "attachment"),
        ("照片.jpg", "照片.jpg"),
    ])
    func aPeersFileNameLosesPathsControlsAndBidiCharacters(name: String, expected: String) {
        #expect(SafeFileName.clean(name) == expected)
    }

    @Test func theAutomaticSizeIsSetShownAndCheckedFromTheCommandLine() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        _ = try wemeet("init", "--name", "Solo", "--home", home.path)
        let (_, task, _) = try await HostileTextTests.start(
            home: home.path, discovery: InMemoryNetwork(), controlAPI: true)
        let shown = try await HostileTextTests.run(["settings", "--home", home.path])
        #expect(shown.stdout.contains("automatic-size: 8 MiB"), "\(shown.stdout)")
        let set = try await HostileTextTests.run(["settings", "automatic-size", "32MiB", "--home", home.path])
        #expect(set.status == 0 && set.stdout.contains("automatic-size: 32 MiB — attachments up to this size"))
        let json = try await HostileTextTests.run(["settings", "--json", "--home", home.path])
        let values = try ControlJSON.decoder.decode(SettingsValues.self, from: Data(json.stdout.utf8))
        #expect(values.automaticAttachmentBytes == 32 << 20)
        let off = try await HostileTextTests.run(["settings", "automatic-size", "0", "--home", home.path])
        #expect(off.stdout.contains("fetched only when you ask"), "\(off.stdout)")
        let bad = try await HostileTextTests.run(["settings", "automatic-size", "lots", "--home", home.path])
        #expect(bad.status != 0 && bad.stderr.contains("lots is not a size"), "\(bad.stderr)")
        let huge = try await HostileTextTests.run(["settings", "automatic-size", "2TiB", "--home", home.path])
        #expect(huge.status != 0 && huge.stderr.contains("1 TiB"), "\(huge.stderr)")
        // Typing indicators (Protocol.md §9.5): on by default, off and back.
        #expect(shown.stdout.contains("typing-indicators: on"), "\(shown.stdout)")
        let quiet = try await HostileTextTests.run(["settings", "typing-indicators", "off", "--home", home.path])
        #expect(quiet.status == 0 && quiet.stdout.contains("typing-indicators: off — friends no longer see you"))
        #expect(
            try await HostileTextTests.run(["settings", "--home", home.path]).stdout.contains("typing-indicators: off"))
        let maybe = try await HostileTextTests.run(["settings", "typing-indicators", "maybe", "--home", home.path])
        #expect(maybe.status != 0 && maybe.stderr.contains("say on or off"), "\(maybe.stderr)")
        await HostileTextTests.stop(task)
    }
}
