"""`verify --seal` takes exactly what `partyledger seal` prints, or the receipt `seal --receipt` writes; kept
outside the database, either catches a log rewritten or cut after sealing, even by a superuser who recomputed
every hash and every stored seal (I7). `seal --tsa` adds an RFC 3161 token, checked with `--tsa-cert`."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventstore import open_store, verify_store
from tests.integration.sealing.conftest import partyledger
from tests.support.events import CODEC, noted
from tests.support.resealing import rewrite_everything
from tests.support.stores import Backdoor, sqlite_url
from tests.support.tsa import Authority, local_authority, make_certificates


@pytest.fixture
def authority(tmp_path: Path) -> Iterator[Authority]:
    with local_authority(tmp_path / "tsa") as running:
        yield running


def filled(url: str, streams: int = 4, start: int = 0) -> list[int]:
    store = open_store(url, codec=CODEC)
    positions = [
        store.append(f"file-{n}", [noted(str(n))], expected_version=0).last_position
        for n in range(start, start + streams)
    ]
    store.close()
    return positions


def sealed(url: str, *options: str) -> str:
    made = partyledger("seal", "--database-url", url, *options)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def test_verify_takes_the_line_seal_printed_and_the_short_form(url: str) -> None:
    filled(url)
    line = sealed(url)
    short = line.split("sha256 ")[1] + "@" + line.split("position ")[1].split(" ")[0]

    by_line = partyledger("verify", "--database-url", url, "--seal", line)
    by_short = partyledger("verify", "--database-url", url, "--seal", short)

    assert line.startswith("seal 1 · position ") and by_line.returncode == 0, by_line.stderr
    assert by_line.stdout.startswith("seal 1 (") and "is as it was when sealed" in by_line.stdout
    assert by_short.returncode == 0, by_short.stderr


def test_a_printed_line_naming_another_seal_number_does_not_hold(url: str) -> None:
    filled(url)
    line = sealed(url).replace("seal 1 ·", "seal 2 ·")

    checked = partyledger("verify", "--database-url", url, "--seal", line)

    assert checked.returncode == 1 and "the seal on record there is number 1, not 2" in checked.stderr


def test_the_receipt_holds_what_the_seal_printed(url: str, keys: tuple[Path, Path], tmp_path: Path) -> None:
    filled(url)
    receipt = tmp_path / "seal-1.json"
    line = sealed(url, "--key", str(keys[0]), "--receipt", str(receipt))
    kept = json.loads(receipt.read_text())

    checked = partyledger("verify", "--database-url", url, "--seal", str(receipt), "--public-key", str(keys[1]))

    assert kept["seal"] == line and kept["seal_digest"] == line.rsplit(" ", 1)[1]
    assert kept["signature"] and len(kept["public_key_id"]) == 64 and kept["rfc3161"] is None
    assert checked.returncode == 0, checked.stderr
    assert "1 seals signed by the sealing key, 0 older seals unsigned" in checked.stdout


def test_a_superuser_rewrite_with_every_hash_and_seal_recomputed_fails_the_receipt_and_the_line(
    url: str, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    positions = filled(url)
    receipt = tmp_path / "seal-1.json"
    line = sealed(url, "--key", str(keys[0]), "--receipt", str(receipt))
    store = open_store(url, codec=CODEC)
    rewrite_everything(store, Backdoor(url), positions[1], {"text": "đã sửa"})
    assert verify_store(store).ok  # the database alone no longer shows it
    store.close()

    for kept in (str(receipt), line):
        checked = partyledger("verify", "--database-url", url, "--seal", kept)
        assert checked.returncode == 1, kept
        assert "seal 1 on record has another hash: the log was rewritten" in checked.stderr


def test_a_log_cut_below_the_seal_fails_the_receipt(url: str, tmp_path: Path) -> None:
    positions = filled(url)
    receipt = tmp_path / "seal-1.json"
    sealed(url, "--receipt", str(receipt))
    backdoor = Backdoor(url)
    backdoor.disable_append_only()
    if backdoor.is_postgres:
        backdoor.execute("ALTER TABLE log_seals DISABLE TRIGGER USER")
    else:
        backdoor.execute("DROP TRIGGER log_seals_no_delete")
    backdoor.execute("DELETE FROM event_log WHERE position >= %s", (positions[2],))
    backdoor.execute("DELETE FROM log_seals")
    store = open_store(url, codec=CODEC)
    store.seal()  # a fresh seal over what is left: the database proves the shorter log
    assert verify_store(store).ok
    store.close()

    checked = partyledger("verify", "--database-url", url, "--seal", str(receipt))

    assert checked.returncode == 1
    assert "no seal at that position: the log or its seals were cut or rewritten" in checked.stderr


def test_a_kept_seal_checks_every_earlier_signature_given_the_public_key(url: str, keys: tuple[Path, Path]) -> None:
    """The kept line of a seal made after a rewrite matches the database; only seal 1's signature shows it."""
    positions = filled(url)
    sealed(url, "--key", str(keys[0]))
    store = open_store(url, codec=CODEC)
    rewrite_everything(store, Backdoor(url), positions[1], {"text": "đã sửa"})
    store.close()
    filled(url, streams=1, start=10)
    later = sealed(url, "--key", str(keys[0]))

    without_key = partyledger("verify", "--database-url", url, "--seal", later)
    with_key = partyledger("verify", "--database-url", url, "--seal", later, "--public-key", str(keys[1]))

    assert without_key.returncode == 0, without_key.stderr
    assert with_key.returncode == 1
    assert "seal 1 has a signature the sealing key did not make" in with_key.stderr


def test_a_receipt_time_stamped_by_the_authority_holds(authority: Authority, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    filled(url)
    receipt = tmp_path / "seal-1.json"
    sealed(url, "--tsa", authority.url, "--tsa-cert", str(authority.chain), "--receipt", str(receipt))
    kept = json.loads(receipt.read_text())

    checked = partyledger("verify", "--database-url", url, "--seal", str(receipt), "--tsa-cert", str(authority.chain))

    assert len(authority.requests) == 1 and kept["rfc3161"]["authority"] == authority.url
    store = open_store(url, codec=CODEC)
    assert store.seals()[0].timestamp == base64.b64decode(kept["rfc3161"]["token"])  # kept beside the seal
    store.close()
    assert checked.returncode == 0, checked.stderr
    assert "time-stamped " in checked.stdout and "Party Ledger test TSA" in checked.stdout


def test_a_token_for_another_digest_or_tampered_is_refused(authority: Authority, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    filled(url)
    first, second = tmp_path / "seal-1.json", tmp_path / "seal-2.json"
    sealed(url, "--tsa", authority.url, "--receipt", str(first))
    filled(url, streams=1, start=10)
    sealed(url, "--tsa", authority.url, "--receipt", str(second))
    swapped, tampered = json.loads(second.read_text()), json.loads(second.read_text())
    swapped["rfc3161"] = json.loads(first.read_text())["rfc3161"]
    token = bytearray(base64.b64decode(tampered["rfc3161"]["token"]))
    token[-40] ^= 0x01  # inside the signature
    tampered["rfc3161"]["token"] = base64.b64encode(bytes(token)).decode()
    (tmp_path / "swapped.json").write_text(json.dumps(swapped))
    (tmp_path / "tampered.json").write_text(json.dumps(tampered))

    def check(name: str) -> subprocess.CompletedProcess[str]:
        receipt = str(tmp_path / name)
        return partyledger("verify", "--database-url", url, "--seal", receipt, "--tsa-cert", str(authority.chain))

    assert check("seal-2.json").returncode == 0
    assert check("swapped.json").returncode == 1
    assert "time-stamp token does not hold: Mismatch between messages" in check("swapped.json").stderr
    assert check("tampered.json").returncode == 1
    assert "time-stamp token does not hold" in check("tampered.json").stderr


def test_a_token_from_another_authority_is_refused(authority: Authority, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    filled(url)
    receipt = tmp_path / "seal-1.json"
    sealed(url, "--tsa", authority.url, "--receipt", str(receipt))
    stranger = make_certificates(tmp_path / "stranger", name="Another Root")

    checked = partyledger("verify", "--database-url", url, "--seal", str(receipt), "--tsa-cert", str(stranger))

    assert checked.returncode == 1 and "time-stamp token does not hold" in checked.stderr


def test_an_authority_that_is_down_leaves_the_seal_recorded(authority: Authority, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    filled(url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}/tsa"  # nothing listens there

    failed = partyledger("seal", "--database-url", url, "--tsa", down)
    store = open_store(url, codec=CODEC)
    recorded = store.seals()
    store.close()
    again = partyledger("seal", "--database-url", url, "--tsa", authority.url)
    store = open_store(url, codec=CODEC)
    stamped = store.seals()
    store.close()

    assert failed.returncode == 1 and failed.stdout.startswith("seal 1 · position ")
    error = failed.stderr.strip()
    assert error.count("\n") == 0 and "Traceback" not in error
    assert error.startswith("Error: the time-stamp authority at ") and "cannot be reached" in error
    assert "seal 1 is recorded without a time-stamp" in error
    assert len(recorded) == 1 and recorded[0].timestamp is None
    assert again.returncode == 0, again.stderr
    assert "nothing new to seal" in again.stdout
    assert len(stamped) == 1 and stamped[0].timestamp is not None


def test_a_certificate_file_that_is_not_pem_is_one_line(authority: Authority, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    filled(url)
    receipt, junk = tmp_path / "seal-1.json", tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    sealed(url, "--tsa", authority.url, "--receipt", str(receipt))

    checked = partyledger("verify", "--database-url", url, "--seal", str(receipt), "--tsa-cert", str(junk))

    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "holds no PEM certificate" in checked.stderr and checked.stderr.strip().count("\n") == 0
