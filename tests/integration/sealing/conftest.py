"""What the sealing tests share: the installed `partyledger` command, each log backend, a seal key pair."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from eventstore.seal_signing import public_pem
from tests.support.stores import sqlite_url

PARTYLEDGER = str(Path(sys.executable).parent / "partyledger")


def partyledger(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PARTYLEDGER, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        found: str = request.getfixturevalue("postgres_url")
        return found
    return sqlite_url(tmp_path)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """An Ed25519 key pair as the sealing process and a verifier hold them (PEM files)."""
    key = Ed25519PrivateKey.generate()
    private, public = tmp_path / "seal.pem", tmp_path / "seal.pub"
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public.write_bytes(public_pem(key))
    return private, public
