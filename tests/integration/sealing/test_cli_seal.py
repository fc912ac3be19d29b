"""`partyledger seal` signs with a key only the sealing process holds; `verify` checks it with the public key,
so a superuser who rewrote an event and recomputed every hash and seal is still caught (I7)."""

from __future__ import annotations

from pathlib import Path

from eventstore import open_store, verify_store
from tests.integration.sealing.conftest import partyledger
from tests.support.events import CODEC, noted
from tests.support.resealing import rewrite_everything
from tests.support.stores import Backdoor


def filled(url: str, streams: int = 4) -> list[int]:
    store = open_store(url, codec=CODEC)
    positions = [store.append(f"file-{n}", [noted(str(n))], expected_version=0).last_position for n in range(streams)]
    store.close()
    return positions


def test_an_old_unsigned_seal_and_a_new_signed_one_both_verify(url: str, keys: tuple[Path, Path]) -> None:
    filled(url)
    assert partyledger("seal", "--database-url", url).returncode == 0
    open_store(url, codec=CODEC).append("file-9", [noted()], expected_version=0)
    signed = partyledger("seal", "--database-url", url, "--key", str(keys[0]))

    checked = partyledger("verify", "--database-url", url, "--public-key", str(keys[1]))

    assert signed.returncode == 0 and signed.stdout.startswith("seal 2 ·"), signed.stderr
    assert checked.returncode == 0, checked.stderr
    assert "2 seals verified; 1 seals signed by the sealing key, 1 older seals unsigned" in checked.stdout


def test_a_rewrite_with_every_hash_recomputed_fails_the_signature(url: str, keys: tuple[Path, Path]) -> None:
    positions = filled(url)
    assert partyledger("seal", "--database-url", url, "--key", str(keys[0])).returncode == 0
    store = open_store(url, codec=CODEC)
    rewrite_everything(store, Backdoor(url), positions[2], {"text": "đã sửa"})
    assert verify_store(store).ok  # the hashes and the seal alone no longer show it
    store.close()

    checked = partyledger("verify", "--database-url", url, "--public-key", str(keys[1]))

    assert checked.returncode == 1
    assert f"broken at position {positions[-1]}: seal 1 has a signature the sealing key did not make" in checked.stderr
