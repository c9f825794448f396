import Testing
import WeMeetCrypto

@Suite("BLAKE2b (RFC 7693)")
struct Blake2bTests {
    /// RFC 7693 Appendix A: BLAKE2b-512("abc").
    @Test func rfc7693Abc() throws {
        let expected = hex(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
        #expect(try Blake2b.hash(Array("abc".utf8), outputLength: 64) == expected)
    }

    @Test func emptyInput() throws {
        #expect(
            try Blake2b.hash([UInt8](), outputLength: 64)
                == hex(
                    "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
                ))
        #expect(
            try Blake2b.hash([UInt8](), outputLength: 32)
                == hex("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"))
    }

    /// The BLAKE2 reference KAT (blake2b-kat.txt): key 00..3f, inputs of length 0 and 1.
    @Test func keyedKnownAnswers() throws {
        let key = (0..<64).map { UInt8($0) }
        #expect(
            try Blake2b.hash([UInt8](), outputLength: 64, key: key)
                == hex(
                    "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568"
                ))
        #expect(
            try Blake2b.hash([0], outputLength: 64, key: key)
                == hex(
                    "961f6dd1e4dd30f63901690c512e78e4b45e4742ed197c3c5e45c549fd25f2e4187b0bc9fe30492b16b0d0bc4ef9b0f34c7003fac09a5ef1532e69430234cebd"
                ))
    }

    @Test func incrementalMatchesOneShot() throws {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var hasher = try Blake2b.Hasher(outputLength: 64, key: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])
        hasher.update(data[..<1])
        hasher.update(data[1..<500])
        hasher.update(data[500...])
        #expect(
            hasher.finalize()
                == (try Blake2b.hash(
                    data, outputLength: 64, key: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])))
    }

    @Test("bad output and key lengths throw", arguments: [(0, 0), (15, 0), (65, 0), (32, 65)])
    func badLengths(output: Int, keyLength: Int) {
        let error = #expect(throws: CryptoError.self) {
            try Blake2b.hash([1], outputLength: output, key: [UInt8](repeating: 1, count: keyLength))
        }
        #expect(error?.code == .invalidLength)
    }
}
