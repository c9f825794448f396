import WeMeetCrypto

/// What a node advertises in its TXT record (Protocol.md §5.2): who it is and which
/// protocol it speaks, plus keys later versions add.
///
/// `txtvers` is the record format's version: a reader ignores records whose `txtvers` it
/// does not know, and ignores keys it does not know (so new keys never need a new version).
public struct NodeRecord: Hashable, Sendable {
    /// The record format this build writes and reads.
    public static let version = 1

    /// The node's identity; the only thing a radar entry is keyed by.
    public var nodeID: NodeID
    /// The wire protocol version the node speaks (Protocol.md, "Versioning").
    public var protocolVersion: Int
    /// Other attributes (for example the pairing flag), by lower-cased key.
    public var attributes: [String: String]

    public init(nodeID: NodeID, protocolVersion: Int, attributes: [String: String] = [:]) {
        self.nodeID = nodeID
        self.protocolVersion = protocolVersion
        self.attributes = attributes
    }

    /// Reads a record from its TXT form.
    /// - Throws: ``DiscoveryError/Code/invalidRecord`` with the reason.
    public init(txt: TXTRecord) throws(DiscoveryError) {
        func invalid(_ why: String) -> DiscoveryError {
            DiscoveryError(code: .invalidRecord, message: "not a WeMeet record: \(why)")
        }
        guard let version = txt["txtvers"] else { throw invalid("no txtvers") }
        guard version == "\(Self.version)" else { throw invalid("unknown txtvers \(version)") }
        guard let id = txt["id"] else { throw invalid("no id") }
        do { nodeID = try NodeID(id) } catch { throw invalid("bad id: \(error)") }
        guard let pv = txt["pv"].flatMap({ Int($0) }), pv > 0 else { throw invalid("no protocol version") }
        protocolVersion = pv
        var attributes: [String: String] = [:]
        for (key, _) in txt.pairs where !["txtvers", "id", "pv"].contains(key) { attributes[key] = txt[key] }
        self.attributes = attributes
    }

    /// The TXT form: `txtvers`, `id`, `pv`, then the attributes sorted by key.
    public var txt: TXTRecord {
        var txt = TXTRecord()
        txt.set("txtvers", "\(Self.version)")
        txt.set("id", nodeID.description)
        txt.set("pv", "\(protocolVersion)")
        for key in attributes.keys.sorted() { txt.set(key, attributes[key]!) }
        return txt
    }
}
