import Foundation
import Testing
import WeMeetAttachments
import WeMeetControl
import WeMeetCrypto
import WeMeetDiscovery
import WeMeetFriends
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetStore
import WeMeetSync
import WeMeetTestSupport

@testable import WeMeetWeb

/// The web app in a real browser: Debian's chromium driven by Playwright
/// (`Tests/Browser/*.py`, installed by `scripts/setup`). Screenshots go to
/// `.build/web-screenshots/`.
@Suite("Web app in a browser", .timeLimit(.minutes(3)))
struct BrowserTests {
    static var screenshots: String {
        let path = SimulatedLAN.repositoryRoot.appendingPathComponent(".build/web-screenshots").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func namesWithMarkupAreShownAsTextAfterLoggingInWithTheLink() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let own = "Alice <img src=x onerror=alert(1)>"
        let friend = "<b>Bob</b><script>alert(2)</script>"
        let homes = [root.path + "/alice", root.path + "/bob"]
        try await makeFriends(homes, names: [own, friend])
        let (_, task, _) = try await WebSecurityTests.start(homes[0])
        defer { task.cancel() }
        let login = try await WebSecurityTests.loginURL(homes[0])
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/home_page.py").path
        let result = try await Self.run("/usr/bin/env", ["python3", script, login, own, friend, Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    @Test func twoPeopleHoldPairTogetherInTheirBrowsersBecomeFriendsAndChatLive() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let (logins, tasks) = try await Self.startWithWebApps(
            [root.path + "/Alice", root.path + "/Bob"], names: ["Alice", "Bob"])
        defer { for task in tasks { task.cancel() } }
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/hold_to_pair.py").path
        let result = try await Self.run(
            "/usr/bin/env", ["python3", script, logins[0], "Alice", logins[1], "Bob", Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    /// Three pressers always get a choice; nobody is paired because another let go; friends
    /// are not candidates; the Friends list unpairs and blocks (seams issue, item 5).
    @Test func threePeopleHoldPairAndChooseFriendsAreNotCandidatesAndThePageUnpairsAndBlocks() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let names = ["Alice", "Bob", "Carol"]
        let (logins, tasks) = try await Self.startWithWebApps(names.map { root.path + "/" + $0 }, names: names)
        defer { for task in tasks { task.cancel() } }
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/three_pressers.py").path
        let result = try await Self.run(
            "/usr/bin/env",
            ["python3", script, logins[0], "Alice", logins[1], "Bob", logins[2], "Carol", Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    @Test func friendsSharePhotosVoiceNotesGroupsDiscoverAndTheHideSettingInTheirBrowsers() async throws {
        try await Self.aliceAndBobRun("groups_and_media.py")
    }

    /// The everyday client (client issue, §2): a notification shown by Chromium, unread counts
    /// on the tab and in the title, one pane with Back and a pinned compose bar on a phone, two
    /// panes on a desktop, times, ticks and days, earlier messages keeping the place, avatars,
    /// the photo viewer and a voice note's timer and cancel.
    @Test func aPhoneIsNotifiedReadsInOnePaneViewsPhotosAndCancelsAVoiceNote() async throws {
        try await Self.aliceAndBobRun("everyday_client.py")
    }

    /// Bob forwards Alice's photo to Carol, who is not Alice's friend, without uploading it
    /// again; Carol's node fetches it from Bob's (client issue, §3). Alice replies quoting
    /// Bob; Bob recalls a message, and a recall is refused two minutes later (his node's clock).
    @Test func bobForwardsAlicesPhotoToCarolWithoutUploadingItAgain() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let homes = ["alice", "bob", "carol"].map { root.path + "/" + $0 }
        try await makeFriends([homes[0], homes[1]], names: ["Alice", "Bob"])
        try await makeFriends([homes[1], homes[2]], names: ["Bob", "Carol"])
        // Bob's node measures the recall window on a clock the test moves when his page asks.
        let bobClock = ManualArrivalClock()
        let (logins, tasks) = try await Self.startWithWebApps(
            homes, names: ["Alice", "Bob", "Carol"], arrivalClocks: ["Bob": bobClock.clock])
        defer { for task in tasks { task.cancel() } }
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/forward.py").path
        let browsers = try ChildProcess(
            label: "browsers", executable: "/usr/bin/env",
            arguments: ["python3", script, logins[0], logins[1], logins[2], Self.screenshots],
            standardOutputToo: true, keepingInputOpen: true)
        defer { browsers.stop() }
        _ = try await offThePool { try browsers.awaitLine(containing: "two minutes pass", timeout: .seconds(120)) }
        bobClock.advance(by: .seconds(121))
        browsers.write("on\n")
        // "ok" alone on its line: the script's last word (a failure exits, and the wait says why).
        _ = try await offThePool { try browsers.awaitLine(timeout: .seconds(120), "ok") { $0 == "ok" } }
    }

    /// Mail through a mutual friend, in three browsers (`relay.py`): Alice's page shows her
    /// message and photo to Bob, who is away, "held by Carol for Bob"; Carol's Settings (简体中文)
    /// say she holds one conversation; Alice's node stops; Bob's starts while only Carol's is
    /// up, and his phone shows both "via Carol", the photo opened; his node stops once his
    /// read-receipt waits at Carol; Alice's, back, shows them "delivered via Carol", read.
    @Test func aWriterAndAReaderWhoNeverMeetSeeHeldByAndViaCarolInTheirBrowsers() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let homes = ["alice", "bob", "carol"].map { root.path + "/" + $0 }
        try await makeFriends(homes, names: ["Alice", "Bob", "Carol"])
        let network = InMemoryNetwork()
        var (_, alice, _) = try await WebSecurityTests.start(homes[0], name: "Alice", network: network)
        defer { alice.cancel() }
        let (carolNode, carol, _) = try await WebSecurityTests.start(homes[2], name: "Carol", network: network)
        defer { carol.cancel() }
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/relay.py").path
        let browsers = try ChildProcess(
            label: "browsers", executable: "/usr/bin/env",
            arguments: [
                "python3", script, try await WebSecurityTests.loginURL(homes[0]),
                try await WebSecurityTests.loginURL(homes[2]), Self.screenshots,
            ],
            standardOutputToo: true, keepingInputOpen: true)
        defer { browsers.stop() }
        _ = try await offThePool { try browsers.awaitLine(containing: "alice sent", timeout: .seconds(120)) }
        alice.cancel()
        _ = try? await alice.value
        await RunningNode.waitUntilStoreIsFree(home: homes[0])

        let (bobNode, bob, _) = try await WebSecurityTests.start(homes[1], name: "Bob", network: network)
        defer { bob.cancel() }
        browsers.write(try await WebSecurityTests.loginURL(homes[1]) + "\n")
        _ = try await offThePool { try browsers.awaitLine(containing: "bob read", timeout: .seconds(120)) }
        // Bob's read-receipt waits at Carol before his node stops.
        let aliceID = try NodeIdentity.load(from: NodeHome(path: homes[0])).nodeID
        let receipts = Feed(
            author: bobNode.identity.nodeID.publicKey, kind: .direct, audience: aliceID.publicKey.rawRepresentation)
        await Self.waitUntil(carolNode) {
            guard let bobs = try? await bobNode.running(), let carols = try? await carolNode.running(),
                await bobs.messages.receiptWritten(to: aliceID).read == 2
            else { return false }
            let written = await bobs.store.head(of: receipts.id)
            return await carols.relay.head(of: receipts.id) == written
        }
        bob.cancel()
        _ = try? await bob.value

        (_, alice, _) = try await WebSecurityTests.start(homes[0], name: "Alice", network: network)
        browsers.write(try await WebSecurityTests.loginURL(homes[0]) + "\n")
        _ = try await offThePool { try browsers.awaitLine(timeout: .seconds(120), "ok") { $0 == "ok" } }
    }

    /// Alice and Bob, friends, each with the web app; runs `Tests/Browser/SCRIPT` with their
    /// login links and names, and expects it to print "ok".
    static func aliceAndBobRun(_ script: String) async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let homes = [root.path + "/alice", root.path + "/bob"]
        try await makeFriends(homes, names: ["Alice", "Bob"])
        let (logins, tasks) = try await Self.startWithWebApps(homes, names: ["Alice", "Bob"])
        defer { for task in tasks { task.cancel() } }
        let path = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/\(script)").path
        let result = try await Self.run(
            "/usr/bin/env", ["python3", path, logins[0], "Alice", logins[1], "Bob", Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    /// A transfer as a person follows it (client issue, §2): Alice's 8 MiB file is offered on
    /// Bob's phone with one Save; pressed, it shows progress, speed and time left while a
    /// holder with Alice's key serves the first half and then stalls; Bob cancels; Alice comes
    /// back and Save finishes it from what arrived, and writes the same bytes.
    @Test func aFileShowsProgressSpeedAndTimeLeftIsCancelledAndSavedLater() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let homes = [root.path + "/alice", root.path + "/bob"]
        try await makeFriends(homes, names: ["Alice", "Bob"])
        let network = InMemoryNetwork()
        var (alice, aliceTask, _) = try await WebSecurityTests.start(homes[0], name: "Alice", network: network)
        let (bob, bobTask, _) = try await WebSecurityTests.start(homes[1], name: "Bob", network: network)
        defer {
            aliceTask.cancel()
            bobTask.cancel()
        }
        _ = try await bob.setAutomaticAttachmentBytes(0)
        let bytes = AttachmentFixtures.photo(8 << 20)
        let path = root.path + "/film.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file = try await alice.upload(
            AttachmentFixtures.stream(bytes), size: UInt64(bytes.count), name: "film.bin",
            mediaType: "application/octet-stream")
        _ = try await alice.sendMessage(to: "Bob", text: "the film", attachments: [file.id])
        await Self.waitUntil(bob) { (try? await bob.attachment(file.id).state) == .onDemand }
        // Alice goes; a holder with her key will serve the first half only.
        let aliceKey = alice.identity.privateKey
        let blobPath = homes[0] + "/blobs/" + file.id
        aliceTask.cancel()
        _ = try? await aliceTask.value
        await Self.waitUntil(bob) { await bob.status().peers.isEmpty }
        let sealed = try #require(FileManager.default.contents(atPath: blobPath)).map { $0 }
        let hashes = try #require(FileManager.default.contents(atPath: blobPath + ".hashes")).map { $0 }
        let partial = try await HostilePeer.connect(
            port: try await bob.listeningAddress().port, key: aliceKey, name: "Alice")
        let login = try await WebSecurityTests.loginURL(homes[1])
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/transfer.py").path
        let phone = try ChildProcess(
            label: "phone", executable: "/usr/bin/env",
            arguments: ["python3", script, login, "Alice", path, Self.screenshots])
        defer { phone.stop() }
        try await partial.serveFirstHalf(of: file, sealed: sealed, hashes: hashes)
        _ = try await offThePool { try phone.awaitLine(containing: "cancelled", timeout: .seconds(120)) }
        await partial.close()
        await RunningNode.waitUntilStoreIsFree(home: homes[0])
        (alice, aliceTask, _) = try await WebSecurityTests.start(homes[0], name: "Alice", network: network)
        _ = try await offThePool { try phone.awaitLine(containing: "ok", timeout: .seconds(120)) }
        // Alice served the second half (and at most a window more), not the whole file again.
        let served = try await alice.attachments().servedBytes
        #expect(served <= Blob.sealedSize(size: file.size) * 2 / 3, "Alice served \(served) of \(file.size)")
    }

    @Test func thePageSaysWhenTheNodeStopsAndReconnectsByItselfWhenItReturns() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        _ = try wemeet("init", "--name", "Reconnecting Node", "--home", home.path)
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/reconnect.py").path
        let result = try await Self.run(
            "/usr/bin/env", ["python3", script, try wemeetExecutable(), home.path, Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    /// Markup and a script from peers, on every screen (the hostile-peer harness presses pair);
    /// 46 bytes, so that it is still a valid display name (at most 48, Protocol.md §2).
    static let hostile = "<img src=x onerror=alert(1)><script>x</script>"

    @Test func markupFromAFriendAStrangerAndAHostilePeerPressingIsShownAsTextEverywhere() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let (alice, mallory, homes, network, tasks) = try await Self.aliceAndMallory(in: root)
        defer { for task in tasks { task.cancel() } }
        let port = try await alice.listeningAddress().port
        // A stranger on the radar with a hostile name, at an address where something listens.
        let stranger = InMemoryDiscovery(network: network)
        _ = await stranger.start(
            Advertisement(
                instanceName: Self.hostile, port: try await mallory.listeningAddress().port,
                record: NodeRecord(nodeID: NodeID(publicKey: Ed25519.PrivateKey().publicKey), protocolVersion: 1)))
        defer { Task { await stranger.stop() } }
        // Mallory, a friend, writes it everywhere.
        _ = try await mallory.sendMessage(to: "Alice", text: Self.hostile)
        let club = try await mallory.createGroup(name: "Club <i>x</i>", isPublic: false)
        try await mallory.invite("Alice", to: club.id)
        await Self.waitUntil(alice) { (try? await alice.groups().contains { $0.id == club.id }) == true }
        _ = try await alice.joinGroup(club.id)
        _ = try await mallory.post(Self.hostile, to: club.id)
        _ = try await mallory.postMoment(Self.hostile)
        let open = try await mallory.createGroup(name: "Open <i>y</i>", isPublic: true)
        _ = try await mallory.post(Self.hostile, to: open.id)
        // A hostile peer presses pair with it while Alice holds the button.
        let pressed = alice.events.subscribe()
        let relay = Task {
            for await event in pressed where event.type == .pairPressed { break }
            let peer = try await HostilePeer.connect(port: port, key: Ed25519.PrivateKey(), name: "B" + Self.hostile)
            try await peer.send(.hello(pressing: true))
            let nonce = Random.bytes(count: 32)
            try await peer.send(.commit(PairingCode.commitment(handshakeHash: peer.node.handshakeHash, nonce: nonce)))
            _ = await peer.pairing { if case .reveal(let n) = $0 { n } else { nil } }
            try await peer.send(.reveal(nonce))
            return peer
        }
        let login = try await WebSecurityTests.loginURL(homes[0])
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/hostile_text.py").path
        let result = try await Self.run("/usr/bin/env", ["python3", script, login, Self.hostile, Self.screenshots])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
        relay.cancel()
        if let peer = try? await relay.value { await peer.close() }
    }

    /// What a hostile friend's files would do on the app's origin: alert, retitle the page,
    /// and send the friend list back to Mallory as Alice's DM.
    static let stealing = """
        alert("PWNED"); document.title = "PWNED";
        const proof = localStorage.getItem("wemeet-proof");
        fetch("/v1/friends", { headers: { "X-WeMeet-Proof": proof } }).then((r) => r.text()).then((t) =>
          fetch("/v1/messages/Mallory", { method: "POST", body: JSON.stringify({ text: "stolen " + t }),
            headers: { "Content-Type": "application/json", "X-WeMeet-Proof": proof } }));
        """

    @Test func aFriendsScriptPageSVGAndLyingPhotoNeverRunOnTheWebApp() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let (alice, mallory, homes, _, tasks) = try await Self.aliceAndMallory(in: root)
        defer { for task in tasks { task.cancel() } }
        func upload(_ text: String, _ name: String, _ type: String) async throws -> WeMeetModel.Attachment {
            let bytes = Array(text.utf8)
            return try await mallory.upload(
                AttachmentFixtures.stream(bytes), size: UInt64(bytes.count), name: name, mediaType: type)
        }
        let script = try await upload(Self.stealing, "evil.js", "text/javascript")
        let html =
            "<!doctype html><title>x</title><script>\(Self.stealing)</script>"
            + "<script src=\"/v1/attachments/\(script.id)/content\"></script>"
        let page = try await upload(html, "evil.html", "text/html")
        let svg = try await upload(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert('PWNED')\"><script>\(Self.stealing)</script></svg>",
            "evil.svg", "image/svg+xml")
        // A "photo" whose bytes are a page, and a page whose name says photo.
        let lyingPhoto = try await upload(html + " ", "photo.png", "image/png")
        let lyingName = try await upload(html + "  ", "page.png", "text/html; charset=utf-8")
        let all = [script, page, svg, lyingPhoto, lyingName]
        _ = try await mallory.sendMessage(to: "Alice", text: "look at these", attachments: all.map(\.id))
        await Self.waitUntil(alice) {
            let list = (try? await alice.attachments().attachments) ?? []
            return all.allSatisfy { wanted in list.contains { $0.attachment.id == wanted.id && $0.state == .complete } }
        }
        let login = try await WebSecurityTests.loginURL(homes[0])
        let driver = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/hostile_files.py").path
        let result = try await Self.run(
            "/usr/bin/env", ["python3", driver, login, Self.screenshots] + all.map(\.id))
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
        // Nothing was sent in Alice's name.
        let conversation = try await alice.messages(with: "Mallory")
        #expect(!conversation.contains { $0.text.contains("stolen") }, "\(conversation.map(\.text))")
    }

    @Test func twoNodesWebAppsInOneBrowserStayLoggedInAndTheCookiesAnotherPortGetsOpenNothing() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let (logins, tasks) = try await Self.startWithWebApps(
            [root.path + "/Alice", root.path + "/Bob"], names: ["Alice", "Bob"])
        defer { for task in tasks { task.cancel() } }
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/two_nodes.py").path
        let result = try await Self.run("/usr/bin/env", ["python3", script, logins[0], logins[1]])
        #expect(result.status == 0 && result.stdout.contains("ok"), "\(result.stderr)")
    }

    /// Alice and Mallory, friends, each a node with its web app on one in-memory network, in
    /// `root`: the nodes, their homes, the network, and their tasks (cancel them to stop).
    static func aliceAndMallory(
        in root: TemporaryDirectory
    ) async throws -> (Node, Node, [String], InMemoryNetwork, [Task<Void, any Error>]) {
        let homes = [root.path + "/alice", root.path + "/mallory"]
        try await makeFriends(homes, names: ["Alice", "Mallory"])
        let network = InMemoryNetwork()
        let (alice, aliceTask, _) = try await WebSecurityTests.start(homes[0], network: network)
        do {
            let (mallory, malloryTask, _) = try await WebSecurityTests.start(homes[1], network: network)
            return (alice, mallory, homes, network, [aliceTask, malloryTask])
        } catch {
            aliceTask.cancel()
            throw error
        }
    }

    /// Starts a node with its web app in each of `homes` (named `names` if new), all on one
    /// in-memory network; returns a login link for each and the nodes' tasks.
    static func startWithWebApps(
        _ homes: [String], names: [String], arrivalClocks: [String: ArrivalClock] = [:]
    ) async throws -> (logins: [String], tasks: [Task<Void, any Error>]) {
        let network = InMemoryNetwork()
        var logins: [String] = []
        var tasks: [Task<Void, any Error>] = []
        for (home, name) in zip(homes, names) {
            do {
                let (_, task, _) = try await WebSecurityTests.start(
                    home, name: name, network: network, arrivalClock: arrivalClocks[name] ?? .system)
                tasks.append(task)
                logins.append(try await WebSecurityTests.loginURL(home))
            } catch {
                for task in tasks { task.cancel() }
                throw error
            }
        }
        return (logins, tasks)
    }

    /// Waits, event by event, until `condition` holds on `node`.
    static func waitUntil(_ node: Node, _ condition: @Sendable () async -> Bool) async {
        let events = node.events.subscribe()
        if await condition() { return }
        for await _ in events where await condition() { return }
    }

    /// Runs a child process on a thread of its own (the node it drives runs in this process).
    static func run(_ executable: String, _ arguments: [String]) async throws -> Spawn.Result {
        try await offThePool { try Spawn.run(executable, arguments) }
    }
}
