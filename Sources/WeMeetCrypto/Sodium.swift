/// WeMeetCrypto — the only door to libsodium.
///
/// This module owns every cryptographic primitive WeMeet uses: random bytes, Ed25519,
/// X25519 (and the Ed25519→X25519 conversion), ChaCha20-Poly1305 and XChaCha20-Poly1305
/// AEAD, `crypto_box` and sealed boxes, BLAKE2b, constant-time comparison, secret memory
/// that is zeroed when released, and the human/wire ``NodeID`` format. Nothing else in
/// WeMeet imports `CSodium`; keys are typed (a public key is not a secret key is not
/// 32 random bytes) and bad lengths throw ``CryptoError`` instead of crashing.

import CSodium

/// libsodium's process-wide initialisation.
///
/// Every entry point of this module calls ``Sodium/ensureInitialized()`` first; callers never
/// need to, but may (for example to fail early at start-up).
public enum Sodium {
    /// `sodium_init()` returns 0 on first success, 1 when already initialised, -1 on failure.
    /// A Swift global is initialised exactly once, thread-safely, on first use.
    private static let initialised: Bool = sodium_init() >= 0

    /// Initialises libsodium once; traps only if libsodium itself cannot start
    /// (no entropy source), which no caller could recover from.
    @inline(__always)
    public static func ensureInitialized() {
        precondition(initialised, "libsodium failed to initialise (no entropy source?)")
    }

    /// The libsodium version string, e.g. `1.0.18`.
    public static var versionString: String {
        ensureInitialized()
        return String(cString: sodium_version_string())
    }

    /// Compares two byte strings in time that depends only on their length.
    ///
    /// Returns `false` at once when the lengths differ (lengths are not secret).
    public static func constantTimeEquals(
        _ lhs: some Collection<UInt8>,
        _ rhs: some Collection<UInt8>
    ) -> Bool {
        ensureInitialized()
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return withBytes(lhs) { a in
            withBytes(rhs) { b in
                sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
            }
        }
    }
}

/// Calls `body` with a contiguous view of `bytes`, copying only when the collection is not
/// contiguous already.
@inline(__always)
func withBytes<R>(
    _ bytes: some Collection<UInt8>,
    _ body: (UnsafeRawBufferPointer) throws -> R
) rethrows -> R {
    if let result = try bytes.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
        return result
    }
    return try Array(bytes).withUnsafeBytes(body)
}

/// A pointer that is never null, even for an empty buffer (libsodium accepts a non-null
/// pointer with length 0; some calls reject a null one).
@inline(__always)
func nonNull(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
    if let base = buffer.baseAddress { return base.assumingMemoryBound(to: UInt8.self) }
    return UnsafePointer(emptyByte)
}

/// One static byte used as the address of empty inputs.
private nonisolated(unsafe) let emptyByte: UnsafeMutablePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return pointer
}()
