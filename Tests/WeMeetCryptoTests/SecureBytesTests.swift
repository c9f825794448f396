import Testing
import WeMeetCrypto

@Suite("secure memory, randomness and constant-time compare")
struct SecureBytesTests {
    @Test func equalityAndCopies() {
        let a = SecureBytes([1, 2, 3])
        let b = SecureBytes([1, 2, 3])
        #expect(a == b)
        #expect(a != SecureBytes([1, 2, 4]))
        #expect(a != SecureBytes([1, 2]))
        #expect(SecureBytes([UInt8]()).count == 0)
        #expect(SecureBytes([UInt8]()) == SecureBytes([UInt8]()))
    }

    @Test func randomIsRandom() {
        #expect(Random.bytes(count: 32) != Random.bytes(count: 32))
        #expect(Random.bytes(count: 0).isEmpty)
        #expect(SecureBytes.random(count: 32) != SecureBytes.random(count: 32))
        #expect((0..<100).allSatisfy { _ in Random.uniform(10) < 10 })
    }

    @Test func constantTimeEquals() {
        #expect(Sodium.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Sodium.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Sodium.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(Sodium.constantTimeEquals([UInt8](), [UInt8]()))
        #expect(Sodium.constantTimeEquals([1, 2, 3][1...], [2, 3]))
    }

    @Test func hexRoundTripAndErrors() throws {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(try Hex.decode("00ABff") == [0x00, 0xab, 0xff])
        #expect(throws: CryptoError.self) { try Hex.decode("abc") }
        #expect(throws: CryptoError.self) { try Hex.decode("zz") }
    }

    @Test func libsodiumVersion() {
        #expect(Sodium.versionString.hasPrefix("1."))
    }
}
