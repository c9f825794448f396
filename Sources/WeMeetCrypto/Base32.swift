/// RFC 4648 base32 (alphabet `A–Z 2–7`), unpadded, as used inside ``NodeID``.
enum Base32 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// The value (0...31) of an upper-case alphabet character, or nil.
    static func value(of char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): char - UInt8(ascii: "A")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): char - UInt8(ascii: "2") + 26
        default: nil
        }
    }

    /// Encodes without padding; the last character's unused low bits are zero.
    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return out
    }

    /// Decodes unpadded upper-case base32 into exactly `byteCount` bytes; the leftover bits of
    /// the last character must be zero, so every value has one encoding.
    static func decode(_ chars: [UInt8], byteCount: Int) -> [UInt8]? {
        guard chars.count == (byteCount * 8 + 4) / 5 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(byteCount)
        var buffer: UInt32 = 0
        var bits = 0
        for char in chars {
            guard let v = value(of: char) else { return nil }
            buffer = buffer << 5 | UInt32(v)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xff))
            }
        }
        guard buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }

    /// The Luhn mod 32 check character for `chars` (standard Luhn mod N, doubling from the
    /// rightmost character).
    static func luhnCheck(_ chars: some BidirectionalCollection<UInt8>) -> UInt8 {
        let n = 32
        var factor = 2
        var sum = 0
        for char in chars.reversed() {
            var addend = factor * Int(value(of: char)!)
            factor = factor == 2 ? 1 : 2
            addend = addend / n + addend % n
            sum += addend
        }
        return alphabet[(n - sum % n) % n]
    }
}
