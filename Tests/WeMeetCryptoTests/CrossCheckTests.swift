import Foundation
import Testing
import WeMeetCrypto

/// Every primitive against independent implementations: PyNaCl for box and sealed box,
/// OpenSSL (Python `cryptography`) for Ed25519, X25519 and ChaCha20-Poly1305.
/// `scripts/test` installs both (`pip install pynacl cryptography`).
@Suite("cross-check with PyNaCl and OpenSSL")
struct CrossCheckTests {
    @Test(arguments: 0..<3)
    func crossCheck(round: Int) throws {
        let alice = X25519.PrivateKey()
        let bob = X25519.PrivateKey()
        let message = Random.bytes(count: [0, 1, 1000][round])
        let nonce = Random.bytes(count: Box.nonceLength)
        let edKey = Ed25519.PrivateKey()
        let aeadKey = SymmetricKey()
        let aeadNonce = Random.bytes(count: ChaChaPoly.nonceLength)
        let aeadAD = Random.bytes(count: 13)
        let input: [String: String] = [
            "alice_sk": Hex.encode(alice.secret.unsafeCopy),
            "alice_pk": Hex.encode(alice.publicKey.rawRepresentation),
            "bob_sk": Hex.encode(bob.secret.unsafeCopy),
            "bob_pk": Hex.encode(bob.publicKey.rawRepresentation),
            "message": Hex.encode(message),
            "nonce": Hex.encode(nonce),
            "swift_box": Hex.encode(try Box.seal(message, nonce: nonce, to: bob.publicKey, from: alice)),
            "swift_sealed": Hex.encode(SealedBox.seal(message, to: bob.publicKey)),
            "ed_seed": Hex.encode(edKey.seed.unsafeCopy),
            "ed_pk": Hex.encode(edKey.publicKey.rawRepresentation),
            "ed_sig": Hex.encode(edKey.signature(for: message).rawRepresentation),
            "ed_x_pk": Hex.encode(try edKey.publicKey.curve25519().rawRepresentation),
            "ed_x_sk": Hex.encode(edKey.curve25519().secret.unsafeCopy),
            "x_shared": Hex.encode(try alice.sharedSecret(with: bob.publicKey).unsafeCopy),
            "aead_key": Hex.encode(aeadKey.secret.unsafeCopy),
            "aead_nonce": Hex.encode(aeadNonce),
            "aead_ad": Hex.encode(aeadAD),
            "swift_aead": Hex.encode(
                try ChaChaPoly.seal(message, key: aeadKey, nonce: aeadNonce, authenticating: aeadAD)),
        ]
        let output = try runPython(script: "crypto_crosscheck.py", input: input)
        let pythonSealed = try Hex.decode(try #require(output["python_sealed"]))
        #expect(try SealedBox.open(pythonSealed, with: bob) == message)
    }
}

/// Runs `Tests/Interop/SCRIPT` with `input` as JSON on stdin; returns its JSON stdout.
/// Fails with the script's own message when it exits non-zero.
func runPython(script: String, input: [String: String]) throws -> [String: String] {
    let scriptURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop").appendingPathComponent(script)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", scriptURL.path]
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(try JSONEncoder().encode(input))
    try stdin.fileHandleForWriting.close()
    let outData = stdout.fileHandleForReading.readDataToEndOfFile()
    let errData = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let message = String(decoding: errData, as: UTF8.self)
    try #require(
        process.terminationStatus == 0,
        "python3 \(script) exited \(process.terminationStatus): \(message) (scripts/test installs pynacl and cryptography)"
    )
    return try JSONDecoder().decode([String: String].self, from: outData)
}
