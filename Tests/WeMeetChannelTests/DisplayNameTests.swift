import Testing
import WeMeetCrypto

@testable import WeMeetChannel

/// Protocol.md §2: the name rules, and what a receiver does with a name that breaks them.
@Suite("Display names")
struct DisplayNameTests {
    let nodeID = NodeID(publicKey: Ed25519.PrivateKey().publicKey)

    @Test(arguments: ["Bob", "  Alice  ", "Zoë", "王小明", String(repeating: "a", count: 48)])
    func validNamesAreKeptTrimmed(name: String) {
        #expect(DisplayName.received(name, from: nodeID) == name.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: [
        "", "   ", String(repeating: "a", count: 49), "Bob\u{1B}[8m", "Bob\u{07}", "Bob\rEve", "Bob\u{9B}2J",
        "Bob\u{202E}", "Bob\u{2066}x", "Bob\n— code 123 456",
    ])
    func namesBreakingTheRulesAreReplacedByTheNodeIDsShortForm(name: String) {
        #expect(DisplayName.problem(in: name.trimmingCharacters(in: .whitespaces)) != nil)
        #expect(DisplayName.received(name, from: nodeID) == "node \(nodeID.shortForm)")
    }
}
