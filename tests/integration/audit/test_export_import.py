"""Export → import into an empty log gives identical read models; a tampered file is refused, naming its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.codec import EVENTS
from eventstore import EventStore, open_store, verify_store
from eventstore.restore import NotEmpty
from eventstore.seal_signing import public_pem
from projections.engine import projection_engine
from projections.person_states import PersonStates
from projections.registry import PROJECTIONS
from projections.runner import Runner
from projections.schema import create_projection_tables
from projections.storage import digest
from services.audit.transfer import Head, ImportRefused, export_digest, export_log, import_log
from services.cli.main import cli
from tests.integration.audit.late_papers import CELLS
from tests.support.appending import set_target
from tests.support.stores import settle


def digests(url: str, store: EventStore) -> dict[tuple[str, str], str]:
    """Every (projection, unit) digest after catching up from zero."""
    settle(store)
    engine = projection_engine(url)
    create_projection_tables(engine)
    runner = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS))
    units = sorted(store.unit_heads())
    for unit in units:
        runner.catch_up(unit)
    with engine.connect() as connection:
        found = {(p.name, u): digest(connection, p.name, p.version, u) for p in PROJECTIONS for u in units}
    engine.dispose()
    return found


def test_a_round_trip_reproduces_the_log_and_its_read_models(
    school_log: EventStore, ledger_url: str, target_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "ledger.jsonl"
    with path.open("wb") as out:
        exported = export_log(school_log, out)
    restored = open_store(target_url, codec=EVENTS)
    try:
        imported = import_log(restored, path)

        assert (imported.events, imported.seals) == (exported.events, 2)
        assert verify_store(restored).ok
        assert digests(target_url, restored) == digests(ledger_url, school_log)
        head = max(e.position for e in restored.iter_raw())
        after = set_target(restored, CELLS[0], 3)  # the log goes on above the restored positions
        assert after.first_position > head
        with pytest.raises(NotEmpty):
            import_log(restored, path)  # a restore never merges into a log that holds events
    finally:
        restored.close()


def test_a_tampered_export_is_refused_naming_the_line(school_log: EventStore, target_url: str, tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    with path.open("wb") as out:
        export_log(school_log, out)
    lines = path.read_text(encoding="utf-8").splitlines()
    forged = json.loads(lines[9])
    forged["occurred_on"] = "2019-01-01"
    lines[9] = json.dumps(forged, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    restored = open_store(target_url, codec=EVENTS)
    try:
        with pytest.raises(ImportRefused) as refused:
            import_log(restored, path)
        assert refused.value.line == 10
        assert next(restored.iter_raw(), None) is None  # nothing was written
    finally:
        restored.close()

    answer = CliRunner().invoke(cli, ["import", str(path), "--database-url", target_url])
    assert answer.exit_code == 1
    assert f"{path}:10: changed" in answer.output
    path.write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    answer = CliRunner().invoke(cli, ["import", str(path), "--database-url", target_url])
    assert answer.exit_code == 1 and "truncated" in answer.output


def test_a_subtree_export_holds_whole_streams_and_imports_without_seals(
    school_log: EventStore, target_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "cell.jsonl"
    with path.open("wb") as out:
        exported = export_log(school_log, out, units=[CELLS[1]])
    restored = open_store(target_url, codec=EVENTS)
    try:
        imported = import_log(restored, path)
        assert imported.events == exported.events > 0
        assert {e.unit_id for e in restored.iter_raw()} >= {CELLS[1]}
        assert restored.seals() == [] and verify_store(restored).ok
    finally:
        restored.close()


def cut_tail(path: Path) -> tuple[list[str], int]:
    """Remove the last event of a stream that has several, fixing the end line's count as a forger would;
    returns the lines and the 1-based number of that stream's head line in the cut file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    parsed = [json.loads(line) for line in lines]
    versions: dict[str, list[int]] = {}
    for number, line in enumerate(parsed):
        if line["kind"] == "event":
            versions.setdefault(line["stream_id"], []).append(number)
    stream, numbers = next((s, n) for s, n in versions.items() if len(n) > 1)
    del lines[numbers[-1]], parsed[numbers[-1]]
    end = parsed[-1]
    end["events"] -= 1
    lines[-1] = json.dumps(end)
    head = next(n for n, line in enumerate(parsed, start=1) if line["kind"] == "head" and line["stream_id"] == stream)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines, head


def test_a_subtree_export_with_a_streams_tail_cut_is_refused(
    school_log: EventStore, target_url: str, tmp_path: Path
) -> None:
    """A chain proves what came before an event, never that nothing came after: the head lines do."""
    path = tmp_path / "cell.jsonl"
    with path.open("wb") as out:
        export_log(school_log, out, units=[CELLS[1]])
    _, head_line = cut_tail(path)
    restored = open_store(target_url, codec=EVENTS)
    try:
        with pytest.raises(ImportRefused) as refused:
            import_log(restored, path)
        assert refused.value.line == head_line and "its tail was cut" in refused.value.reason
        assert next(restored.iter_raw(), None) is None
    finally:
        restored.close()


def test_a_cut_tail_with_its_head_and_digest_forged_fails_the_kept_digest_and_the_signature(
    school_log: EventStore, ledger_url: str, target_url: str, tmp_path: Path
) -> None:
    """A forger who also rewrites the head line and the end line's digest passes the file's own checks; the
    digest `export` printed, or the sealing key's signature, is kept apart from the file and catches it."""
    key = Ed25519PrivateKey.generate()
    private, public = tmp_path / "seal.pem", tmp_path / "seal.pub"
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public.write_bytes(public_pem(key))
    path = tmp_path / "cell.jsonl"
    exported = CliRunner().invoke(
        cli, ["export", str(path), "--unit", CELLS[1], "--database-url", ledger_url, "--key", str(private)]
    )
    assert exported.exit_code == 0, exported.output
    printed = exported.output.split("export digest sha256 ")[1].split(",")[0]
    lines, head_line = cut_tail(path)
    parsed = [json.loads(line) for line in lines]
    stream = parsed[head_line - 1]["stream_id"]
    last = [line for line in parsed if line["kind"] == "event" and line["stream_id"] == stream][-1]
    parsed[head_line - 1] |= {
        "stream_version": last["stream_version"],
        "position": last["position"],
        "hash": last["hash"],
    }
    heads = {
        line["stream_id"]: Head(line["stream_version"], line["position"], bytes.fromhex(line["hash"]))
        for line in parsed
        if line["kind"] == "head"
    }
    parsed[-1]["digest"] = export_digest(parsed[0], heads, []).hex()
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in parsed) + "\n", encoding="utf-8")

    def imported(*options: str) -> Result:
        return CliRunner().invoke(cli, ["import", str(path), "--database-url", target_url, *options])

    assert imported("--digest", printed).exit_code == 1
    assert "the export's digest is not the one kept" in imported("--digest", printed).output
    signed = imported("--public-key", str(public))
    assert signed.exit_code == 1 and "not signed by the sealing key" in signed.output
    alone = imported()  # without what was kept apart, the forged file is consistent: the digest differs
    assert alone.exit_code == 0 and printed not in alone.output


def test_seals_time_stamps_travel_through_an_export(school_log: EventStore, target_url: str, tmp_path: Path) -> None:
    first, _ = school_log.seals()
    school_log.keep_timestamp(first.seal_number, b"a token")
    path = tmp_path / "ledger.jsonl"
    with path.open("wb") as out:
        exported = export_log(school_log, out)
    restored = open_store(target_url, codec=EVENTS)
    try:
        imported = import_log(restored, path, digest=exported.digest)
        assert imported.digest == exported.digest
        assert [s.timestamp for s in restored.seals()] == [b"a token", None]
    finally:
        restored.close()
