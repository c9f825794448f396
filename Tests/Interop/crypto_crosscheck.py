#!/usr/bin/env python3
"""Independent cross-check of WeMeet's crypto layer.

Reads a JSON object of hex strings produced by the Swift side on stdin, checks every value
with PyNaCl (box, sealed box, Ed25519 and its X25519 conversion) and with `cryptography`
(OpenSSL: Ed25519, X25519, ChaCha20-Poly1305), and writes a JSON object with its own
outputs for the Swift side to check. Exits non-zero with a message on any disagreement.
"""
import json
import sys

import nacl.bindings as b
from nacl.public import Box, PrivateKey, PublicKey, SealedBox
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305


def h(key):
    return bytes.fromhex(inp[key])


def check(condition, what):
    if not condition:
        sys.exit("cross-check failed: " + what)


inp = json.load(sys.stdin)
out = {}

alice, bob = PrivateKey(h("alice_sk")), PrivateKey(h("bob_sk"))
check(bytes(alice.public_key) == h("alice_pk"), "X25519 public key of alice")
# crypto_box: same keys and nonce must give the same bytes, and Swift's box must open.
python_box = Box(alice, bob.public_key).encrypt(h("message"), h("nonce")).ciphertext
check(python_box == h("swift_box"), "crypto_box ciphertext")
check(Box(bob, alice.public_key).decrypt(h("swift_box"), h("nonce")) == h("message"), "open Swift box")
# Sealed box: Swift's opens here; ours must open in Swift.
check(SealedBox(bob).decrypt(h("swift_sealed")) == h("message"), "open Swift sealed box")
out["python_sealed"] = SealedBox(bob.public_key).encrypt(h("message")).hex()

# Ed25519 (deterministic) and its conversion to X25519.
seed = h("ed_seed")
pk, sk = b.crypto_sign_seed_keypair(seed)
check(pk == h("ed_pk"), "Ed25519 public key (PyNaCl)")
check(b.crypto_sign(h("message"), sk)[:64] == h("ed_sig"), "Ed25519 signature (PyNaCl)")
check(b.crypto_sign_ed25519_pk_to_curve25519(pk) == h("ed_x_pk"), "Ed25519->X25519 public key")
check(b.crypto_sign_ed25519_sk_to_curve25519(sk) == h("ed_x_sk"), "Ed25519->X25519 secret key")
ossl_ed = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
check(ossl_ed.sign(h("message")) == h("ed_sig"), "Ed25519 signature (OpenSSL)")

# X25519 and ChaCha20-Poly1305 through OpenSSL.
shared = x25519.X25519PrivateKey.from_private_bytes(h("alice_sk")).exchange(
    x25519.X25519PublicKey.from_public_bytes(h("bob_pk")))
check(shared == h("x_shared"), "X25519 shared secret (OpenSSL)")
aead = ChaCha20Poly1305(h("aead_key"))
check(aead.encrypt(h("aead_nonce"), h("message"), h("aead_ad")) == h("swift_aead"), "ChaCha20-Poly1305 (OpenSSL)")

json.dump(out, sys.stdout)
