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
package final class LogFile {
    package static let header: [UInt8] = Array("WMLOG".utf8) + [0, 0, 1]
    package static let entryMarker: [UInt8] = Array("WMRE".utf8)
    package static let forkMarker: [UInt8] = Array("WMRF".utf8)
    package static let overhead = 8 + 32

    package let path: String
    private let fd: Int32

    /// Opens (creating if asked) the log at `path`.
    package init(path: String, create: Bool) throws(StoreError) {
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
    package var size: UInt64 {
        var info = stat()
        fstat(fd, &info)
        return UInt64(info.st_size)
    }

    /// Frames one record.
    package static func frame(marker: [UInt8], payload: [UInt8], checksum: [UInt8]) -> [UInt8] {
        var out = marker
        out.reserveCapacity(overhead + payload.count)
        out.appendBigEndian(UInt32(payload.count))
        out += payload
        out += checksum
        return out
    }

    package func write(_ bytes: [UInt8], at offset: UInt64) throws(StoreError) {
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

    package func sync() throws(StoreError) {
        guard fdatasync(fd) == 0 else {
            throw StoreError(code: .io, message: "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }

    package func read(count: Int, at offset: UInt64) throws(StoreError) -> [UInt8] {
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

    package func truncate(to length: UInt64) throws(StoreError) {
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw StoreError(code: .io, message: "cannot truncate \(path): \(String(cString: strerror(errno)))")
        }
        try sync()
    }

    /// One record found by ``scan(_:)``.
    package struct Record {
        package var offset: UInt64
        /// The marker's last byte: `E` for an entry, `F` for fork evidence.
        package var type: UInt8
        package var payload: ArraySlice<UInt8>
        package var checksum: ArraySlice<UInt8>
    }

    /// Where a scan stopped.
    package enum Ending: Equatable {
        /// Every byte belonged to a valid record.
        case clean
        /// The bytes from `offset` on are an incomplete or damaged last write, with nothing
        /// valid after them: safe to cut off.
        case tornTail(offset: UInt64, reason: String)
        /// Damage at `offset` with valid records after it: never cut silently.
        case corrupt(offset: UInt64, reason: String)
    }

    /// Reads every record in order, verifying each checksum, and says how the file ends.
    ///
    /// The file is read in 8 MiB windows into one reused buffer (memory stays flat); in each
    /// window the record boundaries are found first, then the checksums are verified on all
    /// cores, then the records are visited in order up to the first bad one.
    package func scan(_ visit: (Record) throws(StoreError) -> Void) throws(StoreError) -> Ending {
        let fileSize = size
        guard fileSize >= 8 else { return .tornTail(offset: 0, reason: "file shorter than its header") }
        guard try read(count: 8, at: 0) == Self.header else {
            return .corrupt(offset: 0, reason: "not a WeMeet log (bad header)")
        }
        let window = max(8 << 20, Self.overhead + Entry.maximumLength)
        var buffer = [UInt8](repeating: 0, count: window)
        var bufferStart: UInt64 = 8  // file offset of buffer[0]
        var filled = 0
        var offset: UInt64 = 8
        while offset < fileSize {
            // Slide the unread part to the front and fill the rest.
            let keep = Int(offset - bufferStart)
            if keep > 0 {
                buffer.withUnsafeMutableBytes { b in
                    b.baseAddress!.copyMemory(from: b.baseAddress! + keep, byteCount: filled - keep)
                }
                filled -= keep
                bufferStart = offset
            }
            let want = Int(min(UInt64(window - filled), fileSize - (bufferStart + UInt64(filled))))
            if want > 0 {
                try readInto(&buffer, at: filled, count: want, fileOffset: bufferStart + UInt64(filled))
                filled += want
            }
            // Find the complete records in the window.
            var records: [(start: Int, length: Int)] = []
            var position = 0
            var problem: String?
            while position + 8 <= filled {
                let isEntry = buffer[position] == 0x57 && buffer[position + 1] == 0x4d && buffer[position + 2] == 0x52
                let type = buffer[position + 3]
                guard isEntry, type == Self.entryMarker[3] || type == Self.forkMarker[3] else {
                    problem = "bad record marker"
                    break
                }
                let length = Int(buffer.readBigEndian(at: position + 4, as: UInt32.self))
                guard length <= Entry.maximumLength else {
                    problem = "impossible record length \(length)"
                    break
                }
                guard position + Self.overhead + length <= filled else { break }
                records.append((position, length))
                position += Self.overhead + length
            }
            // Verify the checksums in parallel.
            var firstBad = records.count
            if !records.isEmpty {
                let bad = verifyChecksums(buffer, records)
                if let index = bad {
                    firstBad = index
                    problem = "checksum mismatch"
                }
            }
            for (start, length) in records[..<firstBad] {
                try visit(
                    Record(
                        offset: bufferStart + UInt64(start), type: buffer[start + 3],
                        payload: buffer[(start + 8)..<(start + 8 + length)],
                        checksum: buffer[(start + 8 + length)..<(start + Self.overhead + length)]))
            }
            let nextOffset = bufferStart + UInt64(firstBad < records.count ? records[firstBad].start : position)
            if let problem {
                return try ending(at: nextOffset, problem, fileSize: fileSize)
            }
            if nextOffset == offset && bufferStart + UInt64(filled) >= fileSize {
                // Nothing complete is left and the file has no more bytes: a partial record.
                let reason = fileSize - offset < 8 ? "partial record header" : "record extends past the end of the file"
                return try ending(at: offset, reason, fileSize: fileSize)
            }
            offset = nextOffset
        }
        return .clean
    }

    /// The index of the first record whose checksum is wrong, checking on all cores.
    private func verifyChecksums(_ buffer: [UInt8], _ records: [(start: Int, length: Int)]) -> Int? {
        let slices = min(records.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let perSlice = (records.count + slices - 1) / slices
        let firstBad = UnsafeMutableBufferPointer<Int>.allocate(capacity: slices)
        defer { firstBad.deallocate() }
        /// `@unchecked Sendable` is sound here: every iteration reads the buffer, which nothing
        /// writes meanwhile, and writes only its own slot of `firstBad`; `concurrentPerform`
        /// returns after all iterations, before either allocation is released.
        struct Shared: @unchecked Sendable {
            var bytes: UnsafeRawBufferPointer
            var firstBad: UnsafeMutableBufferPointer<Int>
        }
        buffer.withUnsafeBytes { bytes in
            let shared = Shared(bytes: bytes, firstBad: firstBad)
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                let bytes = shared.bytes
                let firstBad = shared.firstBad
                firstBad[slice] = Int.max
                for index in min(records.count, slice * perSlice)..<min(records.count, (slice + 1) * perSlice) {
                    let (start, length) = records[index]
                    let payload = UnsafeRawBufferPointer(rebasing: bytes[(start + 8)..<(start + 8 + length)])
                    let checksum = bytes[(start + 8 + length)..<(start + Self.overhead + length)]
                    if !Blake2b.hash(payload, length: .bytes32).elementsEqual(checksum) {
                        firstBad[slice] = index
                        return
                    }
                }
            }
        }
        let bad = firstBad.min()!
        return bad == Int.max ? nil : bad
    }

    private func readInto(_ buffer: inout [UInt8], at index: Int, count: Int, fileOffset: UInt64) throws(StoreError) {
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + index + done, count - done, off_t(fileOffset) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw StoreError(code: .io, message: "short read of \(path) at offset \(fileOffset)") }
            done += n
        }
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
                        if Blake2b.hash(payload, length: .bytes32).elementsEqual(checksum) {
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
