import CSodium

extension Blake2b {
    /// Incremental BLAKE2b: ``update(_:)`` any number of times, then ``finalize()`` once.
    public struct Hasher: ~Copyable {
        private let state: UnsafeMutableRawPointer
        private let outputLength: Int

        /// Starts a digest of `outputLength` bytes, keyed with `key` if it is not empty.
        public init(outputLength: Int = 32, key: [UInt8] = []) throws(CryptoError) {
            try Blake2b.checkParameters(outputLength: outputLength, keyLength: key.count)
            self.init(checkedLength: outputLength, key: key)
        }

        /// Starts an unkeyed digest of a length that is always valid. Cannot fail.
        public init(length: DigestLength) {
            self.init(checkedLength: length.rawValue, key: [])
        }

        /// The parameters were checked (or are valid by construction).
        private init(checkedLength outputLength: Int, key: [UInt8]) {
            Sodium.ensureInitialized()
            // crypto_generichash_state must be 64-byte aligned.
            state = .allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
            self.outputLength = outputLength
            let typed = OpaquePointer(state)
            key.withUnsafeBufferPointer { k in
                _ = crypto_generichash_init(typed, k.isEmpty ? nil : k.baseAddress, k.count, outputLength)
            }
        }

        /// Absorbs `data`.
        public mutating func update(_ data: some Collection<UInt8>) {
            let typed = OpaquePointer(state)
            withBytes(data) { d in
                if d.count > 0 { _ = crypto_generichash_update(typed, nonNull(d), UInt64(d.count)) }
            }
        }

        /// The digest. Consumes the hasher.
        public consuming func finalize() -> [UInt8] {
            let typed = OpaquePointer(state)
            let length = outputLength
            return [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
                _ = crypto_generichash_final(typed, out.baseAddress!, length)
                initialized = length
            }
        }

        deinit {
            sodium_memzero(state, crypto_generichash_statebytes())
            state.deallocate()
        }
    }
}
