import Testing
import WeMeetCrypto

@Suite("crypto_box and sealed boxes")
struct BoxTests {
    @Test func boxRoundTripAndTampering() throws {
        let alice = X25519.PrivateKey()
        let bob = X25519.PrivateKey()
        let nonce = Random.bytes(count: Box.nonceLength)
        let box = try Box.seal(sunscreen, nonce: nonce, to: bob.publicKey, from: alice)
        #expect(box.count == sunscreen.count + Box.tagLength)
        #expect(try Box.open(box, nonce: nonce, from: alice.publicKey, to: bob) == sunscreen)
        var tampered = box
        tampered[3] ^= 1
        #expect(throws: CryptoError.self) { try Box.open(tampered, nonce: nonce, from: alice.publicKey, to: bob) }
        #expect(throws: CryptoError.self) {
            try Box.open(box, nonce: nonce, from: X25519.PrivateKey().publicKey, to: bob)
        }
        #expect(throws: CryptoError.self) { try Box.open(box.prefix(10), nonce: nonce, from: alice.publicKey, to: bob) }
        #expect(throws: CryptoError.self) { try Box.open(box, nonce: nonce.dropLast(), from: alice.publicKey, to: bob) }
    }

    @Test func sealedBoxRoundTripAndTampering() throws {
        let bob = X25519.PrivateKey()
        let sealed = SealedBox.seal(sunscreen, to: bob.publicKey)
        #expect(sealed.count == sunscreen.count + SealedBox.overhead)
        #expect(try SealedBox.open(sealed, with: bob) == sunscreen)
        var tampered = sealed
        tampered[tampered.count - 1] ^= 0x80
        #expect(throws: CryptoError.self) { try SealedBox.open(tampered, with: bob) }
        #expect(throws: CryptoError.self) { try SealedBox.open(sealed, with: X25519.PrivateKey()) }
        #expect(throws: CryptoError.self) { try SealedBox.open(sealed.prefix(47), with: bob) }
        #expect(throws: CryptoError.self) { try SealedBox.open([UInt8](), with: bob) }
    }
}
