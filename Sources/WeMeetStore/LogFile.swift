import Foundation
import WeMeetCrypto

/// The store's append-only log: one file, `log`, of checksummed records (Protocol.md §7.4).
///
/// One file rather than segments: WeMeet's volumes (a person's messages) fit one file for
/// years, appends stay strictly sequential, a batch is one `write` and one `fsync`, and
/// recovery has exactly one tail to inspect. Segments would buy cheap deletion, which an
/// append-only, never-forgetting store does not need.
///
/// File: `"WMLOG\0\0\x01"` (8 bytes), then records:
/// `"WMR" ‖ type` (4) ‖ `u32 length` ‖ payload ‖ BLAKE2b-256(payload) (32). For an entry
/// record (type `E`) the checksum is the entry's ID.
final class LogFile {
    static let header: [UInt8] = Array("WMLOG".utf8) + [0, 0, 1]
    static let entryMarker: [UInt8] = Array("WMRE".utf8)
    static let forkMarker: [UInt8] = Array("WMRF".utf8)
    static let overhead = 8 + 32

    let path: String
    private let fd: Int32

    /// Opens (creating if asked) the log at `path`.
    init(path: String, create: Bool) throws(StoreError) {
        self.path = path
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        fd = open(path, flags, 0o600)
        guard fd >= 0 else {
            throw StoreError(code: .io, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        if size == 0 {
            try write(Self.header, at: 0)
            try sync()
        }
    }

    deinit { close(fd) }

    /// The file's current size.
    var size: UInt64 {
        var info = stat()
        fstat(fd, &info)
        return UInt64(info.st_size)
    }

    /// Frames one record.
    static func frame(marker: [UInt8], payload: [UInt8], checksum: [UInt8]) -> [UInt8] {
        var out = marker
        out.reserveCapacity(overhead + payload.count)
        out.appendBigEndian(UInt32(payload.count))
        out += payload
        out += checksum
        return out
    }

    func write(_ bytes: [UInt8], at offset: UInt64) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes {
                pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw StoreError(code: .io, message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    func sync() throws(StoreError) {
        guard fdatasync(fd) == 0 else {
            throw StoreError(code: .io, message: "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }

    func read(count: Int, at offset: UInt64) throws(StoreError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw StoreError(code: .io, message: "short read of \(path) at offset \(offset)")
            }
            done += n
        }
        return out
    }

    func truncate(to length: UInt64) throws(StoreError) {
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw StoreError(code: .io, message: "cannot truncate \(path): \(String(cString: strerror(errno)))")
        }
        try sync()
    }

    /// One record found by ``scan(_:)``.
    struct Record {
        var offset: UInt64
        var marker: [UInt8]
        var payload: ArraySlice<UInt8>
        var checksum: ArraySlice<UInt8>
    }

    /// Where a scan stopped.
    enum Ending: Equatable {
        /// Every byte belonged to a valid record.
        case clean
        /// The bytes from `offset` on are an incomplete or damaged last write, with nothing
        /// valid after them: safe to cut off.
        case tornTail(offset: UInt64, reason: String)
        /// Damage at `offset` with valid records after it: never cut silently.
        case corrupt(offset: UInt64, reason: String)
    }

    /// Reads every record in order (in 8 MiB chunks, so memory stays flat), verifying each
    /// checksum, and says how the file ends.
    func scan(_ visit: (Record) throws(StoreError) -> Void) throws(StoreError) -> Ending {
        let fileSize = size
        guard fileSize >= 8 else { return .tornTail(offset: 0, reason: "file shorter than its header") }
        guard try read(count: 8, at: 0) == Self.header else {
            return .corrupt(offset: 0, reason: "not a WeMeet log (bad header)")
        }
        let chunk = 8 << 20
        var buffer: [UInt8] = []
        var bufferStart: UInt64 = 8
        var offset: UInt64 = 8
        while offset < fileSize {
            // Make sure the record header is buffered.
            func ensure(_ count: Int) throws(StoreError) -> Bool {
                let have = Int(UInt64(buffer.count) - (offset - bufferStart))
                if have >= count { return true }
                let available = fileSize - (bufferStart + UInt64(buffer.count))
                if available == 0 { return false }
                buffer.removeFirst(Int(offset - bufferStart))
                bufferStart = offset
                let more = Int(min(available, UInt64(max(chunk, count - buffer.count))))
                buffer += try read(count: more, at: bufferStart + UInt64(buffer.count))
                return buffer.count >= count
            }
            guard try ensure(8) else { return try ending(at: offset, "partial record header", fileSize: fileSize) }
            let local = Int(offset - bufferStart)
            let marker = Array(buffer[local..<local + 4])
            guard marker == Self.entryMarker || marker == Self.forkMarker else {
                return try ending(at: offset, "bad record marker", fileSize: fileSize)
            }
            let length = Int(buffer.readBigEndian(at: local + 4, as: UInt32.self))
            guard length <= Entry.maximumLength else {
                return try ending(at: offset, "impossible record length \(length)", fileSize: fileSize)
            }
            guard try ensure(Self.overhead + length) else {
                return try ending(at: offset, "record extends past the end of the file", fileSize: fileSize)
            }
            let start = Int(offset - bufferStart)
            let payload = buffer[(start + 8)..<(start + 8 + length)]
            let checksum = buffer[(start + 8 + length)..<(start + Self.overhead + length)]
            guard (try! Blake2b.hash(payload, outputLength: 32)).elementsEqual(checksum) else {
                return try ending(at: offset, "checksum mismatch", fileSize: fileSize)
            }
            try visit(Record(offset: offset, marker: marker, payload: payload, checksum: checksum))
            offset += UInt64(Self.overhead + length)
        }
        return .clean
    }

    /// Decides whether damage at `offset` is a torn tail (nothing valid follows) or
    /// corruption (a valid record follows somewhere after it).
    private func ending(at offset: UInt64, _ reason: String, fileSize: UInt64) throws(StoreError) -> Ending {
        var position = offset + 1
        let window = 1 << 20
        while position + UInt64(Self.overhead) <= fileSize {
            let count = Int(min(UInt64(window + Self.overhead + Entry.maximumLength), fileSize - position))
            let bytes = try read(count: count, at: position)
            var index = 0
            while index + Self.overhead <= bytes.count && index < window {
                if bytes[index] == 0x57, bytes[index + 1] == 0x4d, bytes[index + 2] == 0x52,
                    bytes[index + 3] == 0x45 || bytes[index + 3] == 0x46
                {
                    let length = Int(bytes.readBigEndian(at: index + 4, as: UInt32.self))
                    if length <= Entry.maximumLength, index + Self.overhead + length <= bytes.count {
                        let payload = bytes[(index + 8)..<(index + 8 + length)]
                        let checksum = bytes[(index + 8 + length)..<(index + Self.overhead + length)]
                        if (try! Blake2b.hash(payload, outputLength: 32)).elementsEqual(checksum) {
                            return .corrupt(
                                offset: offset,
                                reason:
                                    "\(reason) at offset \(offset), with a valid record at offset \(position + UInt64(index))"
                            )
                        }
                    }
                }
                index += 1
            }
            position += UInt64(window)
        }
        return .tornTail(offset: offset, reason: reason)
    }
}
