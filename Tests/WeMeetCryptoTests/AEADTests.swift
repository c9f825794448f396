import Testing
import WeMeetCrypto

@Suite("ChaCha20-Poly1305 and XChaCha20-Poly1305")
struct AEADTests {
    static let key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
    static let aad = hex("50515253c0c1c2c3c4c5c6c7")

    /// RFC 8439 §2.8.2.
    @Test func chachaPolyKnownAnswer() throws {
        let nonce = hex("070000004041424344454647")
        let expected =
            hex(
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
            ) + hex("1ae10b594f09e26a7e902ecbd0600691")
        let key = try SymmetricKey(bytes: Self.key)
        let sealed = try ChaChaPoly.seal(sunscreen, key: key, nonce: nonce, authenticating: Self.aad)
        #expect(sealed == expected)
        #expect(try ChaChaPoly.open(sealed, key: key, nonce: nonce, authenticating: Self.aad) == sunscreen)
    }

    /// draft-irtf-cfrg-xchacha-03 §A.3.1.
    @Test func xchachaPolyKnownAnswer() throws {
        let nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657")
        let expected =
            hex(
                "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"
            ) + hex("c0875924c1c7987947deafd8780acf49")
        let key = try SymmetricKey(bytes: Self.key)
        let sealed = try XChaChaPoly.seal(sunscreen, key: key, nonce: nonce, authenticating: Self.aad)
        #expect(sealed == expected)
        #expect(try XChaChaPoly.open(sealed, key: key, nonce: nonce, authenticating: Self.aad) == sunscreen)
    }

    @Test func randomNonceRoundTrip() throws {
        let key = SymmetricKey()
        let combined = XChaChaPoly.seal(Array("hi".utf8), key: key, authenticating: [1, 2])
        #expect(combined.count == 2 + XChaChaPoly.nonceLength + XChaChaPoly.tagLength)
        #expect(try XChaChaPoly.open(combined: combined, key: key, authenticating: [1, 2]) == Array("hi".utf8))
        #expect(throws: CryptoError.self) { try XChaChaPoly.open(combined: combined, key: key, authenticating: [1]) }
        #expect(throws: CryptoError.self) { try XChaChaPoly.open(combined: combined.prefix(30), key: key) }
    }

    /// Any flipped bit, truncation, wrong key, nonce or additional data → an error, not a crash.
    @Test func tamperingIsDetected() throws {
        let key = SymmetricKey()
        let nonce = [UInt8](repeating: 7, count: 12)
        let sealed = try ChaChaPoly.seal(sunscreen, key: key, nonce: nonce, authenticating: [9])
        for index in [0, 17, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 0x40
            let error = #expect(throws: CryptoError.self) {
                try ChaChaPoly.open(tampered, key: key, nonce: nonce, authenticating: [9])
            }
            #expect(error?.code == .authenticationFailed)
        }
        #expect(throws: CryptoError.self) {
            try ChaChaPoly.open(sealed.dropLast(), key: key, nonce: nonce, authenticating: [9])
        }
        #expect(throws: CryptoError.self) { try ChaChaPoly.open(sealed.prefix(15), key: key, nonce: nonce) }
        #expect(throws: CryptoError.self) { try ChaChaPoly.open([UInt8](), key: key, nonce: nonce) }
        #expect(throws: CryptoError.self) {
            try ChaChaPoly.open(sealed, key: SymmetricKey(), nonce: nonce, authenticating: [9])
        }
        #expect(throws: CryptoError.self) { try ChaChaPoly.open(sealed, key: key, nonce: nonce, authenticating: [8]) }
    }

    @Test func emptyPlaintextRoundTrips() throws {
        let key = SymmetricKey()
        let nonce = [UInt8](repeating: 0, count: 12)
        let sealed = try ChaChaPoly.seal([UInt8](), key: key, nonce: nonce)
        #expect(sealed.count == ChaChaPoly.tagLength)
        #expect(try ChaChaPoly.open(sealed, key: key, nonce: nonce).isEmpty)
    }

    @Test("bad key and nonce lengths throw", arguments: [0, 11, 13, 24, 31, 33])
    func badLengths(_ length: Int) throws {
        let bytes = [UInt8](repeating: 3, count: length)
        #expect(throws: CryptoError.self) { try SymmetricKey(bytes: bytes) }
        let key = SymmetricKey()
        if length != ChaChaPoly.nonceLength {
            let error = #expect(throws: CryptoError.self) { try ChaChaPoly.seal([1], key: key, nonce: bytes) }
            #expect(error?.code == .invalidLength)
        }
        if length != XChaChaPoly.nonceLength {
            #expect(throws: CryptoError.self) { try XChaChaPoly.seal([1], key: key, nonce: bytes) }
            #expect(throws: CryptoError.self) {
                try XChaChaPoly.open([UInt8](repeating: 0, count: 40), key: key, nonce: bytes)
            }
        }
    }
}

@Suite("ChaCha20-Poly1305 in place")
struct AEADInPlaceTests {
    @Test func inPlaceMatchesCopying() throws {
        let key = try SymmetricKey(bytes: AEADTests.key)
        let nonce = hex("070000004041424344454647")
        var buffer = sunscreen + [UInt8](repeating: 0, count: ChaChaPoly.tagLength)
        try buffer.withUnsafeMutableBytes { b in
            try nonce.withUnsafeBytes { n in
                try AEADTests.aad.withUnsafeBytes { ad in
                    try ChaChaPoly.sealInPlace(
                        b, plaintextLength: sunscreen.count, key: key, nonce: n, authenticating: ad)
                }
            }
        }
        #expect(buffer == (try ChaChaPoly.seal(sunscreen, key: key, nonce: nonce, authenticating: AEADTests.aad)))
        let length = try buffer.withUnsafeMutableBytes { b in
            try nonce.withUnsafeBytes { n in
                try AEADTests.aad.withUnsafeBytes { ad in
                    try ChaChaPoly.openInPlace(b, key: key, nonce: n, authenticating: ad)
                }
            }
        }
        #expect(Array(buffer.prefix(length)) == sunscreen)
    }

    @Test func inPlaceErrors() throws {
        let key = SymmetricKey()
        var short = [UInt8](repeating: 0, count: 10)
        let nonce = [UInt8](repeating: 0, count: 12)
        #expect(throws: CryptoError.self) {
            try short.withUnsafeMutableBytes { b in
                try nonce.withUnsafeBytes { n in try ChaChaPoly.sealInPlace(b, plaintextLength: 5, key: key, nonce: n) }
            }
        }
        #expect(throws: CryptoError.self) {
            try short.withUnsafeMutableBytes { b in
                try nonce.withUnsafeBytes { n in _ = try ChaChaPoly.openInPlace(b, key: key, nonce: n) }
            }
        }
        var garbage = [UInt8](repeating: 7, count: 40)
        #expect(throws: CryptoError.self) {
            try garbage.withUnsafeMutableBytes { b in
                try nonce.withUnsafeBytes { n in _ = try ChaChaPoly.openInPlace(b, key: key, nonce: n) }
            }
        }
    }
}
