import WeMeetCrypto

/// One signed entry of a feed, in its canonical wire and disk encoding (Protocol.md §7.1).
///
/// ```
/// u8 version=1 ‖ bytes[32] author ‖ u8 feed kind ‖ bytes[32] audience ‖ u64 seq ‖
/// bytes[32] previous ‖ u64 timestamp_ms ‖ u16 content type ‖ u32 payload length ‖ payload ‖
/// bytes[64] signature
/// ```
///
/// The signature is Ed25519 by `author` over `"WeMeet entry" ‖ 0x00 ‖` every byte before it;
/// the entry's ID is BLAKE2b-256 of the whole encoding, signature included.
public struct Entry: Hashable, Sendable {
    /// The encoding version this build writes and reads.
    public static let version: UInt8 = 1
    /// Bytes before the payload.
    public static let headerLength = 120
    /// The largest payload, in bytes.
    public static let maximumPayloadLength = 65_536
    /// The largest encoded entry.
    public static let maximumLength = headerLength + maximumPayloadLength + Ed25519.signatureLength
    package static let signingContext = Array("WeMeet entry".utf8) + [0]

    /// The feed this entry belongs to.
    public let feed: Feed
    /// Position in the feed, from 1.
    public let seq: UInt64
    /// The ID of entry `seq − 1`, or 32 zero bytes for seq 1.
    public let previous: EntryID
    /// The author's clock, milliseconds since the Unix epoch.
    public let timestamp: UInt64
    /// What the payload is (defined by the layers above).
    public let contentType: UInt16
    /// The content, usually ciphertext.
    public let payload: [UInt8]
    /// The author's signature.
    public let signature: Ed25519.Signature
    /// The canonical encoding.
    public let encoded: [UInt8]
    /// BLAKE2b-256 of ``encoded``.
    public let id: EntryID

    /// The feed's ID (computed once).
    public let feedID: FeedID

    /// Creates and signs an entry. `key` must be the feed's author.
    public init(
        feed: Feed, seq: UInt64, previous: EntryID, timestamp: UInt64, contentType: UInt16, payload: [UInt8],
        signedBy key: Ed25519.PrivateKey
    ) throws(StoreError) {
        guard key.publicKey == feed.author else {
            throw StoreError(code: .badSignature, message: "only a feed's author may sign its entries")
        }
        guard payload.count <= Self.maximumPayloadLength else {
            throw StoreError(
                code: .tooLarge, message: "payload of \(payload.count) bytes exceeds \(Self.maximumPayloadLength)")
        }
        guard seq >= 1 else { throw StoreError(code: .malformed, message: "seq starts at 1") }
        var body: [UInt8] = []
        body.reserveCapacity(Self.headerLength + payload.count + Ed25519.signatureLength)
        body.append(Self.version)
        body += feed.author.rawRepresentation
        body.append(feed.kind.rawValue)
        body += feed.audience
        body.appendBigEndian(seq)
        body += previous.rawValue
        body.appendBigEndian(timestamp)
        body.appendBigEndian(contentType)
        body.appendBigEndian(UInt32(payload.count))
        body += payload
        let signature = key.signature(for: Self.signingContext + body)
        body += signature.rawRepresentation
        self.init(
            feed: feed, seq: seq, previous: previous, timestamp: timestamp, contentType: contentType,
            payload: payload, signature: signature, encoded: body)
    }

    private init(
        feed: Feed, seq: UInt64, previous: EntryID, timestamp: UInt64, contentType: UInt16, payload: [UInt8],
        signature: Ed25519.Signature, encoded: [UInt8]
    ) {
        self.feed = feed
        self.seq = seq
        self.previous = previous
        self.timestamp = timestamp
        self.contentType = contentType
        self.payload = payload
        self.signature = signature
        self.encoded = encoded
        self.id = EntryID(encoded: encoded)
        self.feedID = feed.id
    }

    /// Decodes an entry, checking structure and sizes but **not** the signature (see
    /// ``verifySignature()``), so the expensive check can run on another core.
    public init(decoding bytes: some Collection<UInt8>) throws(StoreError) {
        let bytes = Array(bytes)
        func malformed(_ why: String) -> StoreError {
            StoreError(code: .malformed, message: "malformed entry: \(why)")
        }
        guard bytes.count <= Self.maximumLength else {
            throw StoreError(code: .tooLarge, message: "entry of \(bytes.count) bytes exceeds \(Self.maximumLength)")
        }
        guard bytes.count >= Self.headerLength + Ed25519.signatureLength else {
            throw malformed("\(bytes.count) bytes is shorter than the smallest entry")
        }
        guard bytes[Offset.version] == Self.version else {
            throw malformed("unknown version \(bytes[Offset.version])")
        }
        let payloadLength = Int(bytes.readBigEndian(at: Offset.payloadLength, as: UInt32.self))
        guard payloadLength <= Self.maximumPayloadLength else {
            throw StoreError(code: .tooLarge, message: "payload of \(payloadLength) bytes exceeds the limit")
        }
        guard bytes.count == Self.headerLength + payloadLength + Ed25519.signatureLength else {
            throw malformed("length \(bytes.count) does not match its payload length \(payloadLength)")
        }
        let seq = bytes.readBigEndian(at: Offset.seq, as: UInt64.self)
        guard seq >= 1 else { throw malformed("seq 0") }
        let previous = EntryID(rawValue: Array(bytes[Self.range(Offset.previous, length: 32)]))
        guard (seq == 1) == (previous == .zero) else {
            throw malformed("seq \(seq) with a\(seq == 1 ? " non-zero" : " zero") previous hash")
        }
        // Offsets and the total length were checked above, so neither of these can fail.
        guard let author = try? Ed25519.PublicKey(rawRepresentation: bytes[Self.range(Offset.author, length: 32)]),
            let signature = try? Ed25519.Signature(rawRepresentation: bytes[(bytes.count - 64)...])
        else { throw malformed("author key or signature of the wrong size") }
        self.init(
            feed: Feed(
                author: author, kind: .init(rawValue: bytes[Offset.kind]),
                audience: Array(bytes[Self.range(Offset.audience, length: 32)])),
            seq: seq, previous: previous, timestamp: bytes.readBigEndian(at: Offset.timestamp, as: UInt64.self),
            contentType: bytes.readBigEndian(at: Offset.contentType, as: UInt16.self),
            payload: Array(bytes[Self.headerLength..<Self.headerLength + payloadLength]),
            signature: signature, encoded: bytes)
    }

    /// Checks the author's signature.
    public func verifySignature() throws(StoreError) {
        let signed = Self.signingContext + encoded[..<(encoded.count - Ed25519.signatureLength)]
        guard feed.author.isValidSignature(signature, for: signed) else {
            throw StoreError(
                code: .badSignature, message: "entry \(seq) of feed \(feed.id) has an invalid signature")
        }
    }
}
