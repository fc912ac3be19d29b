"""Seals signed by a key the application's role does not hold (I7).

Only the sealing process (the worker's beat, `partyledger seal`) is given the Ed25519 private key; the API
and the database never see it. Anyone who can write the database — the app role, or a superuser who
recomputed every hash and every seal — can add or rewrite seals, but cannot sign them: `verify` checks each
signature with the public key. Seals made before signing began stay verifiable and are reported unsigned;
an unsigned seal after a signed one is itself a problem (someone sealed without the key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .store import Seal, SignSeal
from .verify_report import Problem

SIGNED_PREFIX = b"partyledger seal v1\n"
"""Names what the bytes are, so a signature made with this key for anything else never passes for a seal."""


def signed_bytes(seal: Seal) -> bytes:
    """Number, position, count and hash: the hash already chains every event hash and the seal before it."""
    return (
        SIGNED_PREFIX
        + seal.seal_number.to_bytes(8, "big")
        + seal.up_to_position.to_bytes(8, "big")
        + seal.event_count.to_bytes(8, "big")
        + seal.seal_hash
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """A PEM (PKCS #8) Ed25519 private key, e.g. from `openssl genpkey -algorithm ed25519`."""
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A PEM Ed25519 public key, e.g. from `openssl pkey -pubout`."""
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def seal_signer(key: Ed25519PrivateKey) -> SignSeal:
    def sign(seal: Seal) -> bytes:
        return key.sign(signed_bytes(seal))

    return sign


def signature_holds(seal: Seal, key: Ed25519PublicKey) -> bool:
    if seal.signature is None:
        return False
    try:
        key.verify(seal.signature, signed_bytes(seal))
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True, slots=True)
class SignatureReport:
    """How many seals carry a good signature, how many older ones none, and the first that fails."""

    signed: int
    unsigned: int
    problem: Problem | None = None

    def summary(self) -> str:
        if self.problem is not None:
            return f"seal signatures broken at position {self.problem.position}: {self.problem.message}"
        return f"{self.signed} seals signed by the sealing key, {self.unsigned} older seals unsigned"


def check_signatures(seals: Sequence[Seal], key: Ed25519PublicKey) -> SignatureReport:
    """Every signature against `key`; unsigned seals are accepted only before the first signed one."""
    signed = unsigned = 0
    for seal in seals:
        if seal.signature is None and not signed:
            unsigned += 1
            continue
        if seal.signature is None:
            return SignatureReport(signed, unsigned, _bad(seal, "is unsigned, but seals before it were signed"))
        if not signature_holds(seal, key):
            return SignatureReport(signed, unsigned, _bad(seal, "has a signature the sealing key did not make"))
        signed += 1
    return SignatureReport(signed, unsigned)


def _bad(seal: Seal, what: str) -> Problem:
    return Problem(seal.up_to_position, "seal", f"seal {seal.seal_number} {what}")


def signer_from_file(path: Path | None) -> SignSeal | None:
    """The sealing process's signer, or None when it was given no key (seals stay unsigned)."""
    return None if path is None else seal_signer(load_private_key(path))
