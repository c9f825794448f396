import WeMeetCrypto

/// Decodes a hex literal in a test vector (the vector is trusted; a typo traps the test).
func hex(_ text: String) -> [UInt8] {
    try! Hex.decode(text)
}

/// RFC 8439 §2.8.2's plaintext, also used by the XChaCha20-Poly1305 draft's vector.
let sunscreen = Array(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
        .utf8)
