import Testing
import WeMeetCrypto

@Suite("X25519 (RFC 7748) and Ed25519 conversion")
struct X25519Tests {
    /// RFC 7748 §5.2: scalar, u-coordinate, output.
    @Test(
        "scalar multiplication known answers",
        arguments: [
            (
                "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
                "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"
            ),
            (
                "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
                "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"
            ),
        ])
    func scalarMult(scalar: String, u: String, output: String) throws {
        let key = try X25519.PrivateKey(secret: SecureBytes(hex(scalar)))
        let shared = try key.sharedSecret(with: X25519.PublicKey(rawRepresentation: hex(u)))
        #expect(shared.unsafeCopy == hex(output))
    }

    /// RFC 7748 §6.1: Alice and Bob.
    @Test func diffieHellman() throws {
        let alice = try X25519.PrivateKey(
            secret: SecureBytes(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")))
        let bob = try X25519.PrivateKey(
            secret: SecureBytes(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")))
        #expect(
            alice.publicKey.rawRepresentation == hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        )
        #expect(
            bob.publicKey.rawRepresentation == hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"))
        let k = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        #expect(try alice.sharedSecret(with: bob.publicKey).unsafeCopy == k)
        #expect(try bob.sharedSecret(with: alice.publicKey).unsafeCopy == k)
    }

    @Test func lowOrderPointIsRejected() throws {
        let zero = try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32))
        let error = #expect(throws: CryptoError.self) { try X25519.PrivateKey().sharedSecret(with: zero) }
        #expect(error?.code == .invalidKey)
    }

    @Test("wrong lengths throw", arguments: [0, 16, 31, 33])
    func wrongLengths(_ length: Int) {
        let bytes = [UInt8](repeating: 9, count: length)
        #expect(throws: CryptoError.self) { try X25519.PublicKey(rawRepresentation: bytes) }
        #expect(throws: CryptoError.self) { try X25519.PrivateKey(secret: SecureBytes(bytes)) }
    }

    /// The converted Ed25519 keys form a working X25519 pair, and match libsodium's documented
    /// construction: the X25519 secret is the clamped first half of SHA-512(seed), whose public
    /// key equals the birational map of the Ed25519 public key.
    @Test func ed25519ConversionAgrees() throws {
        let seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
        let edKey = try Ed25519.PrivateKey(seed: SecureBytes(seed))
        let xPrivate = edKey.curve25519()
        let xPublic = try edKey.publicKey.curve25519()
        #expect(xPrivate.publicKey == xPublic)
        let peer = X25519.PrivateKey()
        #expect(
            try xPrivate.sharedSecret(with: peer.publicKey).unsafeCopy
                == peer.sharedSecret(with: xPublic).unsafeCopy)
    }

    @Test func invalidEd25519PointDoesNotConvert() throws {
        // y = 2 is not on the curve (no x satisfies the equation).
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[0] = 2
        let key = try Ed25519.PublicKey(rawRepresentation: bytes)
        #expect(throws: CryptoError.self) { try key.curve25519() }
    }
}
