"""`partyledger migrate-log`: an operator re-writes a log written before encryption into a new keyed log, then
`verify` passes on it and `verify --seal` answers the old log's printed last seal through the binding."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest

from domain.codec import EVENTS
from eventstore import EventStore, open_store
from projections.engine import projection_engine
from projections.person_states import PersonStates
from projections.registry import PROJECTIONS
from projections.runner import CatchUp, Runner
from projections.schema import create_projection_tables
from services.commands.context import CommandContext
from services.embedded import seed_minimal_province
from tests.support.person_ids import KEY_SETTING, TEST_PERSON_ID_KEY, keyring_for_tests
from tests.support.processes import BIN
from tests.support.stores import settle
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import citizen, enrol, nominate, person

NAME = "Quần Chúng Bình"


@dataclass(frozen=True)
class Logs:
    old: str
    new: str
    data: Path


@pytest.fixture(params=["sqlite", "postgres"])
def logs(request: pytest.FixtureRequest, tmp_path: Path) -> Logs:
    if request.param == "postgres":
        return Logs(request.getfixturevalue("postgres_url"), request.getfixturevalue("other_database"), tmp_path)
    return Logs(f"sqlite:///{tmp_path / 'old.sqlite3'}", f"sqlite:///{tmp_path / 'new.sqlite3'}", tmp_path)


def partyledger(logs: Logs, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "partyledger"), *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={"PATH": str(BIN), "PARTYLEDGER_DATA_DIR": str(logs.data), **KEY_SETTING},
    )


def read_models(url: str, store: EventStore) -> list[CatchUp]:
    """Every read model built from the new log, as the workers will."""
    engine = projection_engine(url)
    create_projection_tables(engine)
    try:
        runner = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS))
        return [runner.catch_up(unit) for unit in sorted(store.unit_heads())]
    finally:
        engine.dispose()


def plaintext_log(url: str) -> str:
    """A log written before encryption, sealed: the line its last `partyledger seal` printed."""
    store = open_store(url)
    try:
        seed_minimal_province(store)
        ctx = CommandContext(store, Bell(), TEST_PERSON_ID_KEY)
        enrol(ctx, 1)
        nominate(ctx, 2, person(1))
        settle(store)
        sealed = store.seal()
        assert sealed is not None
        return sealed.printable()
    finally:
        store.close()


def test_a_migrated_log_verifies_and_answers_the_old_printed_seal(logs: Logs) -> None:
    printed = plaintext_log(logs.old)

    migrated = partyledger(logs, "migrate-log", "--from", logs.old, "--database-url", logs.new)

    assert migrated.returncode == 0, migrated.stderr
    assert "migrated" in migrated.stdout and printed in migrated.stdout
    new = open_store(logs.new, keyring=keyring_for_tests())
    try:
        stored = b"".join(msgspec.json.encode([e.data, e.metadata]) for e in new.iter_raw())
        assert NAME.encode() not in stored and citizen(2).encode() not in stored
        assert new.read_stream(person(2))[0].data["particulars"]["full_name"] == NAME
        first_seal = new.seals()[0].printable()
        assert not any(done.parked for done in read_models(logs.new, new)), "no read model parks on the record"
    finally:
        new.close()
    assert first_seal in migrated.stdout
    verified = partyledger(logs, "verify", "--database-url", logs.new)
    assert verified.returncode == 0 and "log intact" in verified.stdout, verified.stderr
    old_seal = partyledger(logs, "verify", "--database-url", logs.new, "--seal", printed)
    assert old_seal.returncode == 0, old_seal.stderr
    assert "migrated from" in old_seal.stdout and "binds the record" in old_seal.stdout
    assert partyledger(logs, "verify", "--database-url", logs.old, "--seal", printed).returncode == 0


def test_a_forged_old_seal_does_not_hold_and_a_second_run_is_refused(logs: Logs) -> None:
    printed = plaintext_log(logs.old)
    assert partyledger(logs, "migrate-log", "--from", logs.old, "--database-url", logs.new).returncode == 0
    digest = printed.rsplit(" ", 1)[1]
    forged = printed.replace(digest, ("0" if digest[0] != "0" else "1") + digest[1:])

    answer = partyledger(logs, "verify", "--database-url", logs.new, "--seal", forged)
    again = partyledger(logs, "migrate-log", "--from", logs.old, "--database-url", logs.new)

    assert answer.returncode == 1 and "does not hold" in answer.stderr
    assert again.returncode == 1 and "refused, nothing migrated" in again.stderr and "Traceback" not in again.stderr


def test_an_unsealed_tail_is_refused_in_one_line(logs: Logs) -> None:
    plaintext_log(logs.old)
    store = open_store(logs.old)
    try:
        enrol(CommandContext(store, Bell(), TEST_PERSON_ID_KEY), 3)
    finally:
        store.close()

    refused = partyledger(logs, "migrate-log", "--from", logs.old, "--database-url", logs.new)

    assert refused.returncode == 1 and "partyledger seal" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
