"""A seal's receipt: the file `partyledger seal --receipt FILE` writes, to be kept outside the system (I7).

It holds everything needed to check the seal without trusting the database: the seal's number, position,
event count and hash (the digest every event hash up to that position chains into), its Ed25519 signature and
the id of the key that made it, and the RFC 3161 token when an authority gave one. `verify --seal FILE` then
recomputes the log up to that position and compares: a log rewritten or cut at or below it — by anyone, a
superuser who recomputed every hash and every stored seal included — no longer gives this hash.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from eventstore.canonical import format_recorded_at, parse_recorded_at
from eventstore.store import Seal

FORMAT = "partyledger-seal-receipt/1"


def public_key_id(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, in hex: names which sealing key signed, without the key itself."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True, slots=True)
class Receipt:
    seal: Seal
    public_key_id: str | None = None
    authority: str | None = None
    """The time-stamp authority's URL the token came from (the token itself is `seal.timestamp`)."""


def receipt_bytes(receipt: Receipt) -> bytes:
    seal = receipt.seal
    stamp = (
        None
        if seal.timestamp is None
        else {"authority": receipt.authority, "token": base64.b64encode(seal.timestamp).decode()}
    )
    body: dict[str, Any] = {
        "format": FORMAT,
        "seal": seal.printable(),
        "seal_number": seal.seal_number,
        "position": seal.up_to_position,
        "event_count": seal.event_count,
        "prev_seal_digest": seal.prev_seal_hash.hex(),
        "seal_digest": seal.seal_hash.hex(),
        "sealed_at": format_recorded_at(seal.sealed_at),
        "signature": None if seal.signature is None else seal.signature.hex(),
        "public_key_id": receipt.public_key_id,
        "rfc3161": stamp,
    }
    return msgspec.json.format(msgspec.json.encode(body), indent=2) + b"\n"


def write_receipt(path: Path, receipt: Receipt) -> None:
    path.write_bytes(receipt_bytes(receipt))


def read_receipt(path: Path) -> Receipt:
    """A receipt file, else ValueError saying what is wrong with it."""
    return parse_receipt(path.read_bytes(), str(path))


def parse_receipt(raw: bytes, path: str = "the receipt") -> Receipt:
    """A receipt's bytes, else ValueError naming `path` and what is wrong."""
    try:
        body = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise ValueError(f"{path} is not a seal receipt (not JSON)") from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ValueError(f"{path} is not a seal receipt ({FORMAT})")
    try:
        stamp = body.get("rfc3161")
        seal = Seal(
            int(body["seal_number"]),
            int(body["position"]),
            int(body["event_count"]),
            bytes.fromhex(body["prev_seal_digest"]),
            bytes.fromhex(body["seal_digest"]),
            parse_recorded_at(body["sealed_at"]),
            None if body.get("signature") is None else bytes.fromhex(body["signature"]),
            None if not stamp else base64.b64decode(stamp["token"], validate=True),
        )
        authority = None if not stamp else stamp.get("authority")
        key_id = body.get("public_key_id")
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path} is a damaged seal receipt: {type(exc).__name__} {exc}") from exc
    if len(seal.seal_hash) != 32:
        raise ValueError(f"{path} is a damaged seal receipt: the seal digest is not 32 bytes")
    return Receipt(seal, None if key_id is None else str(key_id), None if authority is None else str(authority))
