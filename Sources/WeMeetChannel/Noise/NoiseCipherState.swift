import WeMeetCrypto

/// Noise's CipherState (§5.1) for ChaChaPoly: a key and a 64-bit message counter.
///
/// The nonce is 32 zero bits followed by the counter in little-endian (§12.3). The counter
/// value 2⁶⁴−1 is reserved for ``rekey()``; reaching it ends the session with
/// ``NoiseError/Code/nonceExhausted`` instead of ever reusing a nonce.
public struct NoiseCipherState: Sendable {
    /// The key, once one has been mixed in.
    package private(set) var key: SymmetricKey?
    /// The next nonce (n).
    public private(set) var nonce: UInt64 = 0

    /// Bytes of tag appended to each ciphertext.
    public static let tagLength = ChaChaPoly.tagLength

    package init(key: SymmetricKey? = nil) {
        self.key = key
    }

    /// Whether a key is set (HasKey()).
    public var hasKey: Bool { key != nil }

    package mutating func initializeKey(_ key: SymmetricKey?) {
        self.key = key
        nonce = 0
    }

    /// Encrypts `plaintext` with the next nonce, authenticating `ad`; returns the plaintext
    /// unchanged while there is no key (EncryptWithAd()).
    public mutating func encrypt(_ plaintext: some Collection<UInt8>, ad: [UInt8] = []) throws(NoiseError) -> [UInt8] {
        guard let key else { return Array(plaintext) }
        let n = try nextNonce()
        return ChaChaPoly.seal(plaintext, key: key, counter: n, authenticating: ad)
    }

    /// Decrypts with the next nonce (DecryptWithAd()); the counter advances only on success.
    public mutating func decrypt(_ ciphertext: some Collection<UInt8>, ad: [UInt8] = []) throws(NoiseError) -> [UInt8] {
        guard let key else { return Array(ciphertext) }
        guard nonce < UInt64.max else {
            throw NoiseError(code: .nonceExhausted, message: "receive nonce exhausted")
        }
        do {
            let plaintext = try ChaChaPoly.open(ciphertext, key: key, nonce: Self.nonceBytes(nonce), authenticating: ad)
            nonce += 1
            return plaintext
        } catch {
            throw NoiseError(code: .decryptFailed, message: "message failed authentication (nonce \(nonce))")
        }
    }

    /// Rekey() of §11.3: the key becomes the first 32 bytes of ENCRYPT(k, 2⁶⁴−1, ε, 0³²).
    /// The counter is not reset.
    public mutating func rekey() {
        guard let key else { return }
        let zeros = [UInt8](repeating: 0, count: 32)
        let next = ChaChaPoly.seal(zeros, key: key, counter: UInt64.max)
        self.key = SymmetricKey(prefixOf: next)
    }

    private mutating func nextNonce() throws(NoiseError) -> UInt64 {
        guard nonce < UInt64.max else {
            throw NoiseError(code: .nonceExhausted, message: "send nonce exhausted")
        }
        defer { nonce += 1 }
        return nonce
    }

    /// 4 zero bytes ‖ little-endian n.
    package static func nonceBytes(_ n: UInt64) -> [UInt8] { ChaChaPoly.nonce(counter: n) }
}

extension NoiseCipherState {
    /// Encrypts the first `plaintextLength` bytes of `buffer` in place with the next nonce and
    /// no associated data, appending the 16-byte tag (for the transport's zero-copy path).
    package mutating func encryptInPlace(
        _ buffer: UnsafeMutableRawBufferPointer, plaintextLength: Int
    ) throws(NoiseError) {
        guard let key else {
            throw NoiseError(code: .invalidState, message: "transport cipher has no key")
        }
        let n = try nextNonce()
        let nonce = Self.nonceBytes(n)
        let failure = nonce.withUnsafeBytes { nonce -> CryptoError? in
            do {
                try ChaChaPoly.sealInPlace(buffer, plaintextLength: plaintextLength, key: key, nonce: nonce)
                return nil
            } catch {
                return error as? CryptoError ?? CryptoError(code: .invalidLength, message: "\(error)")
            }
        }
        if let failure { throw NoiseError(code: .invalidMessage, message: failure.message) }
    }

    /// Decrypts ciphertext ‖ tag from `source` into `output` with the next nonce; returns the
    /// plaintext length. `source` is only read, so it may be shared.
    package mutating func decrypt(
        _ source: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(NoiseError)
        -> Int
    {
        guard let key else {
            throw NoiseError(code: .invalidState, message: "transport cipher has no key")
        }
        guard nonce < UInt64.max else {
            throw NoiseError(code: .nonceExhausted, message: "receive nonce exhausted")
        }
        let nonceBytes = Self.nonceBytes(nonce)
        let length: Int? = nonceBytes.withUnsafeBytes { nonceBytes in
            try? ChaChaPoly.open(source, into: output, key: key, nonce: nonceBytes)
        }
        guard let length else {
            throw NoiseError(code: .decryptFailed, message: "transport message failed authentication (nonce \(nonce))")
        }
        nonce += 1
        return length
    }
}
