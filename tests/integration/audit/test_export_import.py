"""Export → import into an empty log gives identical read models; a tampered file is refused, naming its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.codec import EVENTS
from eventstore import EventStore, open_store, verify_store
from eventstore.restore import NotEmpty
from projections.engine import projection_engine
from projections.person_states import PersonStates
from projections.registry import PROJECTIONS
from projections.runner import Runner
from projections.schema import create_projection_tables
from projections.storage import digest
from services.audit.transfer import ImportRefused, export_log, import_log
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
