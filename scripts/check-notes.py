#!/usr/bin/env python3
"""Checks schema/vectors/notes.json with an implementation written apart
from scoreledger's: Python's `cryptography` for Ed25519 and hashlib for key
ids, following c2sp.org/signed-note and c2sp.org/tlog-cosignature. Ed25519
signatures are deterministic, so the notes are re-made byte for byte.
Prints 'ok: N checks' or exits 1 naming the first difference.
Needs: pip install cryptography
"""
import base64, hashlib, json, os, struct, sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
v = json.load(open(os.path.join(root, "schema/vectors/notes.json")))
DASH = "\u2014 "
checks = 0


def check(what, got, want):
    global checks
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")
    checks += 1


def keys(name, seed_hex, kind):
    seed = bytes.fromhex(seed_hex)
    priv = Ed25519PrivateKey.from_private_bytes(seed)
    pub = priv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    kid = hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + pub).digest()[:4]
    signer = f"PRIVATE+KEY+{name}+{kid.hex()}+{base64.b64encode(bytes([kind]) + seed).decode()}"
    verifier = f"{name}+{kid.hex()}+{base64.b64encode(bytes([kind]) + pub).decode()}"
    return priv, kid, signer, verifier


log_name = v["log_verifier_key"].split("+")[0]
w_name = v["witness_verifier_key"].split("+")[0]
log, log_id, s, vk = keys(log_name, v["log_seed_hex"], 0x01)
check("log signer key", s, v["log_signer_key"])
check("log verifier key", vk, v["log_verifier_key"])
wit, w_id, s, vk = keys(w_name, v["witness_seed_hex"], 0x04)
check("witness signer key", s, v["witness_signer_key"])
check("witness verifier key", vk, v["witness_verifier_key"])

body = v["checkpoint_body"]
sig = log.sign(body.encode())
signed = body + "\n" + DASH + log_name + " " + base64.b64encode(log_id + sig).decode() + "\n"
check("signed note", signed, v["signed_note"])
pub = Ed25519PublicKey.from_public_bytes(log.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
pub.verify(sig, body.encode())
checks += 1

t = v["cosignature_time"]
msg = f"cosignature/v1\ntime {t}\n".encode() + body.encode()
cosig = wit.sign(msg)
line = DASH + w_name + " " + base64.b64encode(w_id + struct.pack(">Q", t) + cosig).decode() + "\n"
check("cosigned note", signed + line, v["cosigned_note"])
wit.public_key().verify(cosig, msg)
checks += 1
print(f"ok: {checks} checks")
