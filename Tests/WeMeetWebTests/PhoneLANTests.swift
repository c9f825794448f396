import Foundation
import Testing
import WeMeetControl
import WeMeetModel
import WeMeetNode
import WeMeetProcess
import WeMeetTestSupport

/// A phone on the LAN (seams issue, item 3): hosts are network namespaces with their own
/// avahi-daemons; the phone is Chromium on a third host.
@Suite("The web app from a phone on the LAN", .timeLimit(.minutes(3)))
struct PhoneLANTests {
    /// `wemeet open --lan` prints a link and its QR code; Chromium on another host opens it
    /// over HTTPS (the certificate accepted by its public key, checked against the fingerprint
    /// printed), holds pair while Bob presses, chats, sets a password in the page, and a
    /// second phone logs in with it.
    @Test func aPhoneScansTheLinkLogsInOverHTTPSPairsChatsAndSetsAPassword() async throws {
        let lan = try SimulatedLAN(hosts: 3)
        let alice = try lan.makeHome("Alice")
        let bob = try lan.makeHome("Bob")
        let aliceNode = try lan.startNode(on: "h1", home: alice, ["--web", "0.0.0.0:7790"])
        defer { aliceNode.stop() }
        let bobNode = try lan.startNode(on: "h2", home: bob)
        defer { bobNode.stop() }
        try aliceNode.awaitLine(containing: "web app running")

        // The link, as the terminal shows it and as a camera reads the QR code.
        let shown = try wemeet("open", "--lan", "--home", alice)
        #expect(shown.status == 0, "\(shown.stderr)")
        let link = try #require(shown.stdout.split(separator: "\n").first { $0.hasPrefix("https://") }.map(String.init))
        let aliceIP = try lan.ip("h1")
        #expect(link.hasPrefix("https://\(aliceIP):7790/login?token="), "\(link)")
        let text = try TemporaryDirectory()
        defer { text.remove() }
        try shown.stdout.write(toFile: text.path + "/open.txt", atomically: true, encoding: .utf8)
        let reader = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/qr_read.py").path
        let scanned = try await offThePool {
            try Spawn.run("/usr/bin/env", ["python3", reader, text.path + "/open.txt"])
        }
        #expect(scanned.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == link, "QR: \(scanned.stdout)")

        // The fingerprint printed and in the link is the certificate's, as openssl computes it.
        let certificate = NodeHome(path: alice).webCertificatePath
        let openssl = try await offThePool {
            try Spawn.run("/usr/bin/env", ["openssl", "x509", "-in", certificate, "-noout", "-fingerprint", "-sha256"])
        }
        let fingerprint = try #require(openssl.stdout.split(separator: "=").last)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(shown.stdout.contains(fingerprint), "\(fingerprint) not in \(shown.stdout)")
        let compact = fingerprint.replacingOccurrences(of: ":", with: "").lowercased()
        #expect(link.hasSuffix("#sha256=" + compact))
        let pinCommand =
            "openssl x509 -in '\(certificate)' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64"
        let pin = try await offThePool { try Spawn.run("/bin/sh", ["-c", pinCommand]) }.stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let json = try wemeet("open", "--lan", "--json", "--home", alice)
        let app = try ControlJSON.decoder.decode(WebApp.self, from: Data(json.stdout.utf8))
        #expect(app.publicKeyPin == pin && app.fingerprint == fingerprint)

        // The phone, on h3.
        let script = SimulatedLAN.repositoryRoot.appendingPathComponent("Tests/Browser/phone_lan.py").path
        let phone = try ChildProcess(
            label: "phone", executable: SimulatedLAN.script,
            arguments: [
                "exec", "h3", "python3", script, link, pin, "Bob", "correct horse battery", BrowserTests.screenshots,
            ],
            environment: ["WEMEET_LAN": lan.name])
        defer { phone.stop() }
        try phone.awaitLine(containing: "holding", timeout: .seconds(90))
        let press = try wemeet("pair", "--home", bob, "--window", "30", "--yes")
        #expect(press.status == 0, "\(press.stdout) \(press.stderr)")
        let code = try phone.awaitLine(containing: "code ", timeout: .seconds(60)).split(separator: " ").dropFirst()
            .joined(separator: " ")
        #expect(press.stdout.contains(code), "Bob's press said \(press.stdout), the phone \(code)")
        try phone.awaitLine(containing: "ok", timeout: .seconds(120))
        let messages = try wemeet("messages", "Alice", "--home", bob)
        #expect(messages.stdout.contains("hello from my phone"), "\(messages.stdout)")
    }
}
