import WeMeetCrypto

/// Noise's SymmetricState (§5.2): the chaining key, the handshake hash and a CipherState.
public struct NoiseSymmetricState: Sendable {
    package private(set) var cipher = NoiseCipherState()
    package private(set) var chainingKey: [UInt8]
    /// The handshake hash h.
    public private(set) var handshakeHash: [UInt8]

    /// InitializeSymmetric(protocol_name).
    package init(protocolName: String) {
        let name = Array(protocolName.utf8)
        if name.count <= NoiseHash.hashLength {
            handshakeHash = name + [UInt8](repeating: 0, count: NoiseHash.hashLength - name.count)
        } else {
            handshakeHash = NoiseHash.hash(name)
        }
        chainingKey = handshakeHash
    }

    /// MixKey(input_key_material).
    package mutating func mixKey(_ inputKeyMaterial: [UInt8]) {
        let outputs = NoiseHash.hkdf(chainingKey: chainingKey, inputKeyMaterial: inputKeyMaterial, outputs: 2)
        chainingKey = outputs[0]
        cipher.initializeKey(SymmetricKey(prefixOf: outputs[1]))
    }

    /// MixHash(data).
    package mutating func mixHash(_ data: [UInt8]) {
        handshakeHash = NoiseHash.hash(handshakeHash, data)
    }

    /// MixKeyAndHash(input_key_material), for PSKs.
    package mutating func mixKeyAndHash(_ inputKeyMaterial: [UInt8]) {
        let outputs = NoiseHash.hkdf(chainingKey: chainingKey, inputKeyMaterial: inputKeyMaterial, outputs: 3)
        chainingKey = outputs[0]
        mixHash(outputs[1])
        cipher.initializeKey(SymmetricKey(prefixOf: outputs[2]))
    }

    /// EncryptAndHash(plaintext).
    package mutating func encryptAndHash(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let ciphertext = try cipher.encrypt(plaintext, ad: handshakeHash)
        mixHash(ciphertext)
        return ciphertext
    }

    /// DecryptAndHash(ciphertext).
    package mutating func decryptAndHash(_ ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let plaintext = try cipher.decrypt(ciphertext, ad: handshakeHash)
        mixHash(ciphertext)
        return plaintext
    }

    /// Split(): the two transport CipherStates (initiator→responder, responder→initiator).
    package func split() -> (NoiseCipherState, NoiseCipherState) {
        let outputs = NoiseHash.hkdf(chainingKey: chainingKey, inputKeyMaterial: [], outputs: 2)
        return (
            NoiseCipherState(key: SymmetricKey(prefixOf: outputs[0])),
            NoiseCipherState(key: SymmetricKey(prefixOf: outputs[1]))
        )
    }
}
