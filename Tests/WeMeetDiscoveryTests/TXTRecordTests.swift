import Testing
import WeMeetCrypto

@testable import WeMeetDiscovery

@Suite("TXT records and the node record")
struct TXTRecordTests {
    static let nodeID = NodeID(publicKey: Ed25519.PrivateKey().publicKey)

    @Test func nodeRecordRoundTripsAndStaysSmall() throws {
        let record = NodeRecord(nodeID: Self.nodeID, protocolVersion: 1, attributes: ["pair": "1"])
        let bytes = record.txt.bytes
        #expect(bytes.count <= 200, "RFC 6763 §6.2: keep TXT records small")
        #expect(try NodeRecord(txt: try TXTRecord(bytes: bytes)) == record)
        // Wire order: txtvers first (RFC 6763 §6.7), then id, pv, attributes sorted.
        #expect(Array(bytes[1...9]) == Array("txtvers=1".utf8))
    }

    /// The test vector in Protocol.md §5.2.
    @Test func protocolVector() throws {
        let id = try NodeID("MF7OU2I-G7RMIZ2-OOU3C6L-ZG42XBL-MRGKTKB-GA3H4VY-AK4IEZP-VI5KQAQ")
        let bytes = NodeRecord(nodeID: id, protocolVersion: 1).txt.bytes
        #expect(
            Hex.encode(bytes)
                == "09747874766572733d31"
                + "42" + Hex.encode(Array("id=MF7OU2I-G7RMIZ2-OOU3C6L-ZG42XBL-MRGKTKB-GA3H4VY-AK4IEZP-VI5KQAQ".utf8))
                + "04" + Hex.encode(Array("pv=1".utf8)))
        #expect(bytes.count == 82)
    }

    @Test func parsingFollowsRFC6763() throws {
        // Case-insensitive keys, first occurrence wins, boolean attribute, empty strings skipped.
        let bytes: [UInt8] = [5] + Array("A=one".utf8) + [5] + Array("a=two".utf8) + [0] + [4] + Array("flag".utf8)
        let txt = try TXTRecord(bytes: bytes)
        #expect(txt["a"] == "one")
        #expect(txt["FLAG"] == "")
        #expect(txt["missing"] == nil)
        #expect(try TXTRecord(bytes: [0]).pairs.isEmpty)
        #expect(TXTRecord().bytes == [0])
    }

    @Test(
        "garbage, truncation and oversize are rejected with a reason",
        arguments: [
            ([5, 0x61, 0x3D], "overruns"),
            ([3, 0x3D, 0x61, 0x62], "empty key"),
            ([2, 0x01, 0x3D], "printable"),
            (Array(repeating: 1, count: 1301), "too long"),
        ] as [([UInt8], String)])
    func badRecords(bytes: [UInt8], reason: String) {
        #expect {
            _ = try TXTRecord(bytes: bytes)
        } throws: { error in
            (error as? DiscoveryError)?.code == .invalidRecord && "\(error)".contains(reason)
        }
    }

    @Test func recordsThatAreNotWeMeetsAreRejected() throws {
        var txt = TXTRecord()
        #expect(throws: DiscoveryError.self) { try NodeRecord(txt: txt) }
        txt.set("txtvers", "2")
        #expect { try NodeRecord(txt: txt) } throws: { "\($0)".contains("unknown txtvers 2") }
        txt.set("txtvers", "1")
        txt.set("id", "not-a-node-id")
        #expect { try NodeRecord(txt: txt) } throws: { "\($0)".contains("bad id") }
        txt.set("id", Self.nodeID.description)
        #expect { try NodeRecord(txt: txt) } throws: { "\($0)".contains("protocol version") }
        txt.set("pv", "1")
        txt.set("future", "x")
        #expect(try NodeRecord(txt: txt).attributes == ["future": "x"])
    }

    @Test func instanceNamesCarryAnIDSuffixAndFitALabel() {
        let record = NodeRecord(nodeID: Self.nodeID, protocolVersion: 1)
        let name = Advertisement.instanceName(displayName: "Alice", record: record)
        #expect(name == "Alice (\(Self.nodeID.shortForm))")
        #expect(Advertisement.displayName(instanceName: name, record: record) == "Alice")
        #expect(Advertisement.displayName(instanceName: name + " #2", record: record) == "Alice")
        #expect(Advertisement.displayName(instanceName: "Someone else", record: record) == "Someone else")
        let long = Advertisement.instanceName(displayName: String(repeating: "é", count: 60), record: record)
        #expect(long.utf8.count <= 63)
    }

    @Test func addressesArePresentedWithZones() {
        #expect(DNSSDDiscovery.presentation([10, 77, 1, 2], interface: 0) == "10.77.1.2")
        #expect(DNSSDDiscovery.presentation([1, 2, 3], interface: 0) == nil)
        var v6 = [UInt8](repeating: 0, count: 16)
        v6[0] = 0x20
        v6[1] = 0x01
        v6[15] = 1
        #expect(DNSSDDiscovery.presentation(v6, interface: 0) == "2001::1")
        #expect(DNSSDDiscovery.rank("10.0.0.1") < DNSSDDiscovery.rank("2001::1"))
        #expect(DNSSDDiscovery.rank("2001::1") < DNSSDDiscovery.rank("fe80::1%eth0"))
    }
}
