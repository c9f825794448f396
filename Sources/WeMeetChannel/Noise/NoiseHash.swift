import WeMeetCrypto

/// The hash functions of Noise §4.3 and §5.2 for BLAKE2b: HASH, HMAC (RFC 2104, built by
/// hand — libsodium's keyed BLAKE2b is not HMAC) and HKDF.
package enum NoiseHash {
    /// HASHLEN for BLAKE2b.
    package static let hashLength = 64
    /// BLOCKLEN for BLAKE2b.
    package static let blockLength = 128

    /// HASH(data…): BLAKE2b-512 of the concatenation.
    package static func hash(_ parts: [UInt8]...) -> [UInt8] {
        var hasher = Blake2b.Hasher(length: .bytes64)
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }

    /// HMAC-BLAKE2b(key, data…) per RFC 2104 with B = 128, L = 64.
    package static func hmac(key: [UInt8], _ parts: [UInt8]...) -> [UInt8] {
        var block = key.count > blockLength ? hash(key) : key
        block += [UInt8](repeating: 0, count: blockLength - block.count)
        var inner = Blake2b.Hasher(length: .bytes64)
        inner.update(block.map { $0 ^ 0x36 })
        for part in parts { inner.update(part) }
        let innerDigest = inner.finalize()
        var outer = Blake2b.Hasher(length: .bytes64)
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// HKDF(chaining_key, input_key_material, num_outputs) of Noise §4.3: two or three outputs.
    package static func hkdf(chainingKey: [UInt8], inputKeyMaterial: [UInt8], outputs: Int) -> [[UInt8]] {
        let tempKey = hmac(key: chainingKey, inputKeyMaterial)
        let output1 = hmac(key: tempKey, [0x01])
        let output2 = hmac(key: tempKey, output1, [0x02])
        if outputs == 2 { return [output1, output2] }
        let output3 = hmac(key: tempKey, output2, [0x03])
        return [output1, output2, output3]
    }
}
