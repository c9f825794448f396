import WeMeetCrypto
import WeMeetFriends
import WeMeetGroups
import WeMeetMessaging
import WeMeetModel
import WeMeetPeers
import WeMeetSync

/// The on-disk encoding of a node's secret identity key (Protocol.md, "Identity key file").
///
/// 101 bytes: magic `WMID` (4) ‖ format version `0x01` (1) ‖ Ed25519 seed (32) ‖ Ed25519
/// public key (32) ‖ BLAKE2b-256 of the preceding 69 bytes (32). The public key and checksum
/// are redundant on purpose: a truncated, bit-flipped or foreign file is recognised as such
/// and never silently turned into a different identity.
public enum IdentityKeyFile {
    /// The file's size in bytes.
    public static let length = 101
    /// The current format version.
    public static let version: UInt8 = 1
    package static let magic: [UInt8] = Array("WMID".utf8)
    private static let bodyLength = 69

    /// The file contents for `key`.
    public static func encode(_ key: Ed25519.PrivateKey) -> SecureBytes {
        SecureBytes(count: length) { out in
            var offset = 0
            func put(_ bytes: UnsafeRawBufferPointer) {
                UnsafeMutableRawBufferPointer(rebasing: out[offset..<offset + bytes.count]).copyMemory(from: bytes)
                offset += bytes.count
            }
            magic.withUnsafeBytes(put)
            [version].withUnsafeBytes(put)
            key.seed.withUnsafeBytes(put)
            key.publicKey.rawRepresentation.withUnsafeBytes(put)
            let checksum = Blake2b.hash(UnsafeRawBufferPointer(rebasing: out[0..<bodyLength]), length: .bytes32)
            checksum.withUnsafeBytes(put)
        }
    }

    /// Decodes file contents; `path` only names the file in error messages.
    /// - Throws: ``NodeError`` with code ``NodeError/Code/invalidIdentity`` saying what is wrong.
    public static func decode(_ contents: SecureBytes, path: String) throws(NodeError) -> Ed25519.PrivateKey {
        func invalid(_ what: String) -> NodeError {
            NodeError(code: .invalidIdentity, message: "identity key file \(path) \(what)")
        }
        if contents.count < length {
            throw invalid("is truncated: \(contents.count) of \(length) bytes")
        }
        if contents.count > length {
            throw invalid("is \(contents.count) bytes, expected \(length): not a WeMeet identity key")
        }
        let verdict = contents.withUnsafeBytes { bytes -> Result<Ed25519.PrivateKey, NodeError> in
            guard Array(bytes[0..<4]) == magic else {
                return .failure(invalid("is not a WeMeet identity key (bad magic)"))
            }
            guard bytes[4] == version else {
                return .failure(invalid("has format version \(bytes[4]); this wemeet reads version \(version)"))
            }
            let checksum = Blake2b.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<bodyLength]), length: .bytes32)
            guard Sodium.constantTimeEquals(checksum, bytes[bodyLength..<length]) else {
                return .failure(invalid("is corrupted (checksum mismatch)"))
            }
            guard let key = try? Ed25519.PrivateKey(seed: SecureBytes(bytes[5..<37])) else {
                return .failure(invalid("is corrupted (bad seed)"))
            }
            guard key.publicKey.rawRepresentation.elementsEqual(bytes[37..<69]) else {
                return .failure(invalid("is corrupted (public key does not match the seed)"))
            }
            return .success(key)
        }
        return try verdict.get()
    }
}
