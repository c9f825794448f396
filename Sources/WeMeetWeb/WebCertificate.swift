import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import WeMeetModel
import X509

/// The web app's TLS identity beyond loopback (API.md, "Web app over the LAN"): a
/// self-signed P-256 certificate the node makes on first use and keeps in its home, so its
/// fingerprint stays the same and a phone can check it once.
///
/// This is the one place outside libsodium where key material is made: browsers speak TLS
/// with X.509 certificates only (ECDSA or RSA), which libsodium does not do; swift-crypto and
/// swift-certificates make them, and swift-nio-ssl (BoringSSL) serves them.
package struct WebCertificate: Sendable {
    /// The certificate (DER) and its private key (PEM).
    package let certificateDER: [UInt8]
    package let privateKeyPEM: String
    /// SHA-256 of the DER certificate, `AB:CD:…`, as a browser's certificate viewer shows it.
    package let fingerprint: String
    /// SHA-256 of the SubjectPublicKeyInfo, base64 (a Chromium `--ignore-certificate-errors-spki-list` entry).
    package let publicKeyPin: String

    /// Loads the certificate at `certificatePath` and its key at `keyPath`, or makes and
    /// stores both (the key mode 0600) when there are none.
    package static func loadOrCreate(certificatePath: String, keyPath: String) throws -> WebCertificate {
        if let certificatePEM = try? String(contentsOfFile: certificatePath, encoding: .utf8),
            let keyPEM = try? String(contentsOfFile: keyPath, encoding: .utf8)
        {
            let certificate = try Certificate(pemEncoded: certificatePEM)
            let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
            return try WebCertificate(certificate: certificate, key: key)
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("WeMeet")
            CommonName("WeMeet web app")
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(20 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost")])
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        try write(key.pemRepresentation, to: keyPath, mode: 0o600)
        try write(try certificate.serializeAsPEM().pemString, to: certificatePath, mode: 0o644)
        return try WebCertificate(certificate: certificate, key: key)
    }

    private init(certificate: Certificate, key: P256.Signing.PrivateKey) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        certificateDER = serializer.serializedBytes
        privateKeyPEM = key.pemRepresentation
        fingerprint = SHA256.hash(data: certificateDER).map { String(format: "%02X", $0) }.joined(separator: ":")
        publicKeyPin = Data(SHA256.hash(data: key.publicKey.derRepresentation)).base64EncodedString()
    }

    /// The fingerprint without colons, lowercase (the login link's `#sha256=`).
    package var compactFingerprint: String { fingerprint.replacingOccurrences(of: ":", with: "").lowercased() }

    /// A server configuration serving this certificate (TLS 1.2 and later).
    package func serverConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: certificateDER, format: .der))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// Writes `text` to a new file renamed over `path`, with `mode`.
    private static func write(_ text: String, to path: String, mode: Int) throws {
        let temporary = path + ".new"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        else {
            throw NodeError(code: .io, message: "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else { throw NodeError(code: .io, message: "cannot write \(path)") }
    }
}
