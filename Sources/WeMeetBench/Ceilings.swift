import Foundation
import WeMeetCrypto

/// libsodium's speed on this machine, one core: the ceilings every figure is compared with.
struct Ceilings {
    var x25519PerSecond: Double
    var signPerSecond: Double
    var verifyPerSecond: Double
    var chachaPolyBytesPerSecond: Double

    static func measure(seconds: Double) -> Ceilings {
        let peer = X25519.PrivateKey().publicKey
        let key = X25519.PrivateKey()
        let x25519 = rate(seconds: seconds) { _ = try? key.sharedSecret(with: peer) }
        let signer = Ed25519.PrivateKey()
        let message = Random.bytes(count: 200)
        let sign = rate(seconds: seconds) { _ = signer.signature(for: message) }
        let signature = signer.signature(for: message)
        let verify = rate(seconds: seconds) { _ = signer.publicKey.isValidSignature(signature, for: message) }
        let aeadKey = SymmetricKey()
        var buffer = [UInt8](repeating: 1, count: 65_536 + ChaChaPoly.tagLength)
        let nonce = [UInt8](repeating: 0, count: 12)
        let aead = rate(seconds: seconds) {
            buffer.withUnsafeMutableBytes { b in
                nonce.withUnsafeBytes { n in
                    try? ChaChaPoly.sealInPlace(b, plaintextLength: 65_536, key: aeadKey, nonce: n)
                }
            }
        }
        return Ceilings(
            x25519PerSecond: x25519, signPerSecond: sign, verifyPerSecond: verify,
            chachaPolyBytesPerSecond: aead * 65_536)
    }

    var figures: [Figure] {
        [
            Figure(name: "ceiling: X25519", value: x25519PerSecond, unit: "ops/s"),
            Figure(name: "ceiling: Ed25519 sign", value: signPerSecond, unit: "ops/s"),
            Figure(name: "ceiling: Ed25519 verify", value: verifyPerSecond, unit: "ops/s"),
            Figure(name: "ceiling: ChaCha20-Poly1305 (64 KiB)", value: chachaPolyBytesPerSecond / 1e6, unit: "MB/s"),
        ]
    }

    /// Calls `body` repeatedly for about `seconds`; returns calls per second.
    static func rate(seconds: Double, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var count = 0
        var elapsed = Duration.zero
        repeat {
            for _ in 0..<16 { body() }
            count += 16
            elapsed = clock.now - start
        } while elapsed < .seconds(seconds)
        return Double(count) / elapsed.seconds
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
