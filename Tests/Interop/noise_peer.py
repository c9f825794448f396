#!/usr/bin/env python3
"""An independent WeMeet channel peer built on PyPI `noiseprotocol` (and PyNaCl for keys).

Usage: noise_peer.py connect PORT [--rekey N]   (initiator: connects to 127.0.0.1:PORT)
       noise_peer.py listen [--rekey N]         (responder: prints "PORT <n>" then serves one peer)

Implements Protocol.md §4 from the text alone: framing, prologue, handshake payloads with
version negotiation and identity binding, records with fragmentation, and rekeying every N
messages per direction. As initiator it sends a short and a fragmented message and expects
them echoed; as responder it echoes what it receives (reversed), then closes with a reason.
Prints "PEER <node id> <name>" for the peer it authenticated, and exits non-zero on error.
"""
import base64
import hashlib
import os
import socket
import struct
import sys

import nacl.bindings as b
from noise.connection import Keypair, NoiseConnection

NETWORK = hashlib.blake2b(b"WeMeet network default", digest_size=32).digest()
PROLOGUE = b"WeMeet channel" + bytes([1]) + NETWORK
MAX_FRAGMENT = 65535 - 16 - 1
args = sys.argv[1:]
REKEY = int(args[args.index("--rekey") + 1]) if "--rekey" in args else 1 << 16


def node_id(pk):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

    def luhn(s):
        factor, total = 2, 0
        for c in reversed(s):
            a = factor * alphabet.index(c)
            factor = 1 if factor == 2 else 2
            total += a // 32 + a % 32
        return alphabet[(32 - total % 32) % 32]

    e = base64.b32encode(pk).decode().rstrip("=")
    s = "".join(e[i * 13:(i + 1) * 13] + luhn(e[i * 13:(i + 1) * 13]) for i in range(4))
    return "-".join(s[i:i + 7] for i in range(0, 56, 7))


class Peer:
    def __init__(self, sock, initiator):
        self.sock = sock
        seed = os.urandom(32)
        self.ed_pk, self.ed_sk = b.crypto_sign_seed_keypair(seed)
        self.noise = NoiseConnection.from_name(b"Noise_XX_25519_ChaChaPoly_BLAKE2b")
        self.noise.set_as_initiator() if initiator else self.noise.set_as_responder()
        self.noise.set_keypair_from_private_bytes(Keypair.STATIC, b.crypto_sign_ed25519_sk_to_curve25519(self.ed_sk))
        self.noise.set_prologue(PROLOGUE)
        self.noise.start_handshake()
        self.sent = 0
        self.received = 0

    def recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError("connection closed")
            data += chunk
        return data

    def read_frame(self):
        (length,) = struct.unpack(">H", self.recv_exact(2))
        return self.recv_exact(length)

    def write_frame(self, body):
        self.sock.sendall(struct.pack(">H", len(body)) + body)

    def identity_payload(self, kind, version=None):
        name = b"PyNoise"
        head = bytes([kind]) + (struct.pack(">H", version) if version else b"")
        return head + self.ed_pk + bytes([len(name)]) + name

    def bind(self, payload, offset, handshake_state):
        identity = bytes(payload[offset:offset + 32])
        name = bytes(payload[offset + 33:offset + 33 + payload[offset + 32]]).decode()
        rs = bytes(handshake_state.rs.public_bytes)
        if b.crypto_sign_ed25519_pk_to_curve25519(identity) != rs:
            sys.exit("peer's identity key does not match its Noise static key")
        print("PEER", node_id(identity), name, flush=True)

    def initiator_handshake(self):
        self.write_frame(self.noise.write_message(bytes([1]) + struct.pack(">HH", 1, 1)))
        state = self.noise.noise_protocol.handshake_state
        payload = self.noise.read_message(self.read_frame())
        if payload[0] != 2:
            sys.exit("refused: %r" % payload)
        self.bind(payload, 3, state)
        self.write_frame(self.noise.write_message(self.identity_payload(4)))

    def responder_handshake(self):
        hello = self.noise.read_message(self.read_frame())
        low, high = struct.unpack(">HH", hello[1:5])
        if hello[0] != 1 or not low <= 1 <= high:
            sys.exit("bad hello %r" % hello)
        self.write_frame(self.noise.write_message(self.identity_payload(2, version=1)))
        state = self.noise.noise_protocol.handshake_state  # deleted once the handshake is done
        payload = self.noise.read_message(self.read_frame())
        if payload[0] != 4:
            sys.exit("bad identity payload")
        self.bind(payload, 1, state)

    def send_record(self, record):
        self.write_frame(self.noise.encrypt(record))
        self.sent += 1
        if self.sent % REKEY == 0:
            self.noise.rekey_outbound_cipher()

    def read_record(self):
        record = self.noise.decrypt(self.read_frame())
        self.received += 1
        if self.received % REKEY == 0:
            self.noise.rekey_inbound_cipher()
        return record

    def send_message(self, data):
        chunks = [data[i:i + MAX_FRAGMENT] for i in range(0, len(data), MAX_FRAGMENT)] or [b""]
        for index, chunk in enumerate(chunks):
            self.send_record(bytes([1 if index == len(chunks) - 1 else 0]) + chunk)

    def read_message(self):
        data = b""
        while True:
            record = self.read_record()
            kind = record[0]
            if kind in (0, 1):
                data += record[1:]
                if kind == 1:
                    return data
            elif kind == 2:
                self.send_record(bytes([3]))
            elif kind == 4:
                raise EOFError("peer closed: code %d %s" % struct.unpack(">H", record[1:3]) + (record[3:].decode(),))


def main():
    if args[0] == "connect":
        sock = socket.create_connection(("127.0.0.1", int(args[1])))
        peer = Peer(sock, initiator=True)
        peer.initiator_handshake()
        for message in [b"hello from python", os.urandom(150_000)] + [b"n%d" % i for i in range(20)]:
            peer.send_message(message)
            if peer.read_message() != message:
                sys.exit("echo mismatch")
        peer.send_record(bytes([4]) + struct.pack(">H", 0) + b"python done")
        print("OK", flush=True)
    else:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        print("PORT", server.getsockname()[1], flush=True)
        sock, _ = server.accept()
        peer = Peer(sock, initiator=False)
        peer.responder_handshake()
        for _ in range(22):
            peer.send_message(peer.read_message()[::-1])
        peer.send_record(bytes([4]) + struct.pack(">H", 1) + b"python shutting down")
        print("OK", flush=True)


if __name__ == "__main__":
    main()
