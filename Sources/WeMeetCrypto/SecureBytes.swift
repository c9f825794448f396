import CSodium

/// Secret key material: locked in memory where cheap, zeroed when released.
///
/// The bytes are written once, at initialisation, and only read afterwards; copies of a
/// `SecureBytes` share one allocation, which is wiped (`sodium_munlock` zeroes before
/// unlocking) when the last copy goes away. Equality is constant-time.
public struct SecureBytes: Sendable, Equatable {
    private let storage: Storage

    /// Copies `bytes` into fresh secret memory. Wipe the source yourself if it was secret.
    public init(_ bytes: some Collection<UInt8>) {
        storage = Storage(count: bytes.count) { destination in
            withBytes(bytes) { source in
                if source.count > 0 { destination.copyMemory(from: source) }
            }
        }
    }

    /// Creates `count` bytes of secret memory filled by `initializer`.
    public init(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        storage = try Storage(count: count, initializer: initializer)
    }

    /// `count` bytes from libsodium's CSPRNG.
    public static func random(count: Int) -> SecureBytes {
        Sodium.ensureInitialized()
        return SecureBytes(count: count) { buffer in
            if count > 0 { randombytes_buf(buffer.baseAddress!, count) }
        }
    }

    /// The number of bytes.
    public var count: Int { storage.buffer.count }

    /// Read access to the secret bytes. Do not let the pointer escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage.buffer))
    }

    /// A plain copy of the bytes. Use sparingly: the copy is not wiped.
    public var unsafeCopy: [UInt8] { withUnsafeBytes { Array($0) } }

    public static func == (lhs: SecureBytes, rhs: SecureBytes) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in Sodium.constantTimeEquals(a, b) } }
    }

    /// The allocation behind ``SecureBytes``.
    ///
    /// `@unchecked Sendable` is sound: `buffer` is a `let`, its bytes are written only inside
    /// `init` before the object is published, and afterwards only read (through
    /// ``SecureBytes/withUnsafeBytes(_:)``) until `deinit`, which runs when no reference
    /// remains and so cannot race a reader.
    private final class Storage: @unchecked Sendable {
        /// The whole allocation (at least one byte, so its address is never null).
        private let allocation: UnsafeMutableRawBufferPointer
        /// The secret bytes: the first `count` bytes of ``allocation``.
        let buffer: UnsafeMutableRawBufferPointer

        init(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
            Sodium.ensureInitialized()
            allocation = .allocate(byteCount: max(count, 1), alignment: 16)
            allocation.initializeMemory(as: UInt8.self, repeating: 0)
            buffer = UnsafeMutableRawBufferPointer(rebasing: allocation[0..<count])
            // Locking a page is cheap for key-sized allocations; failure (RLIMIT_MEMLOCK) is
            // harmless, the memory is still wiped on release.
            _ = sodium_mlock(allocation.baseAddress!, allocation.count)
            // If this throws, every stored property is set, so `deinit` runs and wipes.
            try initializer(buffer)
        }

        deinit { Storage.release(allocation) }

        private static func release(_ allocation: UnsafeMutableRawBufferPointer) {
            // sodium_munlock zeroes the memory before unlocking it; zero again in case the
            // lock had failed and munlock returned early.
            _ = sodium_munlock(allocation.baseAddress!, allocation.count)
            sodium_memzero(allocation.baseAddress!, allocation.count)
            allocation.deallocate()
        }
    }
}
