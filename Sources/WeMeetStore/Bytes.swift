extension Array where Element == UInt8 {
    /// Appends `value` in big-endian byte order.
    package mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

extension RandomAccessCollection where Element == UInt8, Index == Int {
    /// Reads a big-endian integer at absolute index `offset`.
    package func readBigEndian<T: FixedWidthInteger>(at offset: Int, as: T.Type) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value = value << 8 | T(self[offset + index]) }
        return value
    }
}
