"""Issue 20's must-show, on PostgreSQL and on the embedded default: after erasing a person, neither the whole
database (`pg_dump`, or every byte of the SQLite files) nor an export holds their name (NFC or NFD), citizen ID
or date of birth; `verify` exits 0; `rebuild --check` finds the rebuild equal to live; the statistics are the
ones computed before. The commands are the operator's own (`partyledger …`, subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa

from domain.person.stages import Stage
from eventstore import RecordedEvent
from projections.engine import projection_engine
from services.commands.person_log import replay_records
from services.data_keys import open_ledger_log
from services.projection_runtime import catch_up_every_unit
from services.settings import Settings
from tests.support.person_ids import KEY_SETTING
from tests.support.processes import BIN

LEFT = (Stage.EXITED, Stage.STRUCK_OFF, Stage.EXPELLED)
"""A member who left: their admission, ratings and exit are all in the HD 11 statistics."""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "partyledger"), *args], capture_output=True, text=True, timeout=600,
                          check=False, env={"PATH": str(BIN), **env})  # fmt: skip


@pytest.fixture(params=["postgres", "sqlite"])
def ledger_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    env = {"PARTYLEDGER_DATA_DIR": str(tmp_path / "data"), "PARTYLEDGER_ENVIRONMENT": "development",
           "PARTYLEDGER_BROKER_URL": "memory://", **KEY_SETTING}  # fmt: skip
    if request.param == "postgres":
        env["PARTYLEDGER_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    return env


def statistics(settings: Settings) -> list[tuple[str, str, str]]:
    engine = projection_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT unit_id, row_key, data FROM projection_rows WHERE projection = 'statistics'")
            ).all()
    finally:
        engine.dispose()
    return sorted((unit, key, json.dumps(data if not isinstance(data, str) else json.loads(data), sort_keys=True))
                  for unit, key, data in rows)  # fmt: skip


def a_closed_file(settings: Settings) -> tuple[str, list[str]]:
    """A withdrawn or rejected person and what identifies them: name (NFC and NFD), citizen ID, birth date."""
    store = open_ledger_log(settings, create=False)
    try:
        streams: dict[str, list[RecordedEvent]] = {}
        for page_event in store.iter_raw():
            if page_event.stream_id.startswith("person-"):
                streams.setdefault(page_event.stream_id, []).append(page_event)
        for stream_id in sorted(streams):
            records = store.read_stream(stream_id)
            state = replay_records(stream_id, records)
            if state.stage in LEFT and state.ratings and state.particulars and state.citizen_id:
                name = state.particulars.full_name
                secrets = [name, unicodedata.normalize("NFD", name), state.citizen_id,
                           state.particulars.date_of_birth.isoformat()]  # fmt: skip
                return stream_id, secrets
    finally:
        store.close()
    raise AssertionError("the seeded province has no rated member who left")


def everything_stored(env: dict[str, str], settings: Settings) -> bytes:
    if settings.database_url.startswith("postgresql"):
        dumped = subprocess.run(["pg_dump", "--no-owner", settings.database_url], capture_output=True, check=True)
        return dumped.stdout
    data = Path(env["PARTYLEDGER_DATA_DIR"])
    return b"".join(path.read_bytes() for path in sorted(data.iterdir()) if path.is_file())


@pytest.mark.timeout(900)
def test_an_erased_person_is_nowhere_and_the_ledger_still_proves_itself(ledger_env: dict[str, str]) -> None:
    assert run(ledger_env, "seed", "--scale", "small").returncode == 0
    settings = Settings.from_environment(ledger_env)
    catch_up_every_unit(settings)
    before = statistics(settings)
    person_id, secrets = a_closed_file(settings)
    assert secrets[0].encode() in everything_stored(ledger_env, settings)  # the read models name the person

    erased = run(ledger_env, "erase", person_id, "--ground", "purpose_complete", "--decision", "QĐ 7/QĐ-TU",
                 "--on", "01/12/2026")  # fmt: skip
    assert erased.returncode == 0, erased.stderr
    catch_up_every_unit(settings)

    assert statistics(settings) == before
    verified = run(ledger_env, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    checked = run(ledger_env, "rebuild", "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    export = Path(ledger_env["PARTYLEDGER_DATA_DIR"]).parent / "export.jsonl"
    assert run(ledger_env, "export", str(export)).returncode == 0
    exported = export.read_bytes()
    stored = everything_stored(ledger_env, settings)
    for secret in secrets:
        assert secret.encode() not in stored, f"found in the database: {secrets.index(secret)}"
        assert secret.encode() not in exported, f"found in the export: {secrets.index(secret)}"
    os.remove(export)
