import CSodium

/// Password hashing for the web app's password (libsodium's `crypto_pwhash_str`, Argon2id
/// with the "interactive" limits): the stored string carries its own salt and parameters.
public enum PasswordHash {
    /// The string to store for `password`; nil only if libsodium cannot get the memory.
    public static func hash(_ password: String) -> String? {
        Sodium.ensureInitialized()
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let chars = Array(password.utf8CString)  // never empty: it ends with NUL
        let result = crypto_pwhash_str(
            &out, chars, UInt64(chars.count - 1), UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE),
            Int(crypto_pwhash_MEMLIMIT_INTERACTIVE))
        guard result == 0 else { return nil }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` is the one `stored` was made from (constant time in libsodium).
    public static func verify(_ password: String, against stored: String) -> Bool {
        Sodium.ensureInitialized()
        var storedChars = Array(stored.utf8CString)
        guard storedChars.count <= Int(crypto_pwhash_STRBYTES) else { return false }
        storedChars += [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES) - storedChars.count)
        let chars = Array(password.utf8CString)
        return crypto_pwhash_str_verify(&storedChars, chars, UInt64(chars.count - 1)) == 0
    }
}
