"""Alembic takes an empty PostgreSQL to the schema the tests use, and the app role cannot change the log."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from psycopg_pool import ConnectionPool

from eventstore import open_store
from eventstore.errors import SchemaNotCurrent
from eventstore.postgres_schema import SCHEMA_VERSION
from projections.engine import projection_engine
from projections.schema import create_projection_tables
from services.cli.main import cli
from services.credentials import create_credential_tables
from services.migrations.run import downgrade, upgrade
from services.migrations.steps import ReleasedRevisionChanged, projection_tables_digest, require_unchanged
from services.record_tables import create_record_tables
from tests.support.events import CODEC, noted
from tests.support.person_ids import keyring_for_tests

from .conftest import as_role

CATALOG = {
    "columns": """SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default
                    FROM information_schema.columns WHERE table_schema = 'public'""",
    "constraints": """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                       WHERE connamespace = 'public'::regnamespace""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
    "functions": """SELECT proname, pg_get_functiondef(oid) FROM pg_proc
                     WHERE pronamespace = 'public'::regnamespace""",
    "log_schema_version": "SELECT version FROM log_schema_version",
    "log_position_offset": "SELECT singleton, xid_offset FROM log_position_offset",
}


def schema_of(url: str) -> dict[str, set[tuple[Any, ...]]]:
    """Everything the app depends on, from the catalog; Alembic's own bookkeeping table left out."""
    with psycopg.connect(url) as connection:
        found = {name: {tuple(row) for row in connection.execute(query)} for name, query in CATALOG.items()}
    return {name: {row for row in rows if "alembic_version" not in row} for name, rows in found.items()}


def test_upgrade_from_empty_gives_the_schema_the_tests_create(
    postgres_url: str, other_database: str, app_role: tuple[str, str]
) -> None:
    assert upgrade(postgres_url, app_role[0]) == "0013"

    store = open_store(other_database, keyring=keyring_for_tests())  # with its key table, as every process opens it
    engine = projection_engine(other_database)
    create_projection_tables(engine)
    create_record_tables(engine)
    create_credential_tables(engine)
    store.close()
    engine.dispose()

    migrated, created = schema_of(postgres_url), schema_of(other_database)
    assert migrated == created
    # two on each of the log's five tables, the four records; the clocks of events, keys and seals
    assert len(migrated["triggers"]) == 21
    assert {"partyledger_horizon", "partyledger_refuse_change"} <= {f[0] for f in migrated["functions"]}
    assert {"event_log", "projection_rows", "log_seals", "audit_reads", "access_denials", "person_reads"} <= {
        c[0] for c in migrated["columns"]
    }


def test_the_app_role_appends_but_cannot_change_the_log(postgres_url: str, app_role: tuple[str, str]) -> None:
    role, password = app_role
    upgrade(postgres_url, role, password)
    app_url = as_role(postgres_url, role, password)

    store = open_store(app_url, codec=CODEC)
    store.append("file-1", [noted("kept")], expected_version=0, idempotency_key="k-1")
    store.seal()
    assert [e.data["text"] for e in store.read_stream("file-1")] == ["kept"]
    assert store.forget_requests("file-1", store.head_position() + 1) == 1  # an erasure's one UPDATE (step 8)
    store.close()

    with psycopg.connect(app_url, autocommit=True) as app:
        assert app.execute("SELECT current_user").fetchone() == (role,)
        for statement in (
            "UPDATE event_log SET unit_id = 'x'",
            "DELETE FROM event_log",
            "TRUNCATE event_log",
            "UPDATE idempotency_keys SET stream_version = 9",
            "DELETE FROM log_seals",
            "UPDATE log_position_offset SET xid_offset = 1",
            "ALTER TABLE event_log DISABLE TRIGGER USER",
            "CREATE TABLE sneaky (x int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        for statement in ("UPDATE idempotency_keys SET key = 'x'", "UPDATE idempotency_keys SET request_digest = ''"):
            with pytest.raises(psycopg.Error, match="append-only"):  # the one form it may write
                app.execute(statement)
        app.execute("INSERT INTO audit_reads (read_at, user_id, role, acting_unit, operation, subject, detail) "
                    "VALUES (now(), 'u', 'auditor', 'unit-x', 'getPersonHistory', 'person-1', '')")  # fmt: skip
        app.execute("INSERT INTO person_reads (user_id, role, acting_unit, kind, person_id, people) "
                    "VALUES ('u', 'cell_secretary', 'unit-x', 'file', 'person-1', 1)")  # fmt: skip
        stamped = app.execute("SELECT read_at > now() - interval '1 minute' FROM person_reads").fetchone()
        assert stamped == (True,)  # the database's clock
        for statement in (
            "UPDATE audit_reads SET user_id = 'x'",
            "DELETE FROM access_denials",
            "UPDATE person_reads SET user_id = 'x'",
            "DELETE FROM person_reads",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        # the subjects' keys: added, read and turned into tombstones by the app, never deleted (issue 20)
        app.execute("INSERT INTO ledger_keys.subject_keys (key_id, kek_id, wrapped) VALUES ('k', 'kek', '\\x00')")
        app.execute("UPDATE ledger_keys.subject_keys SET wrapped = NULL, residue = '{}' WHERE key_id = 'k'")
        assert app.execute("SELECT wrapped FROM ledger_keys.subject_keys").fetchall() == [(None,)]
        for statement in ("DELETE FROM ledger_keys.subject_keys", "DROP TABLE ledger_keys.subject_keys"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        app.execute("INSERT INTO projection_versions VALUES ('p', 1, now())")
        app.execute("UPDATE projection_versions SET active_version = 2")
        app.execute("DELETE FROM projection_versions")


@pytest.mark.parametrize("statement", ["UPDATE audit_reads SET user_id = 'x'", "DELETE FROM audit_reads",
                                       "TRUNCATE access_denials", "DELETE FROM access_denials",
                                       "UPDATE person_reads SET kind = 'x'", "DELETE FROM person_reads",
                                       "TRUNCATE person_reads"])  # fmt: skip
def test_even_the_owner_cannot_edit_the_records_of_reads_and_refusals(
    postgres_url: str, app_role: tuple[str, str], statement: str
) -> None:
    upgrade(postgres_url, app_role[0])
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute("INSERT INTO audit_reads (read_at, user_id, role, acting_unit, operation, subject, detail) "
                      "VALUES (now(), 'u', 'auditor', 'unit-x', 'getPersonHistory', 'person-1', '')")  # fmt: skip
        owner.execute("INSERT INTO access_denials (at, status, reason, verified, client, method, path) "
                      "VALUES (now(), 401, 'missing bearer token', false, '127.0.0.1', 'GET', '/units/x')")  # fmt: skip
        owner.execute("INSERT INTO person_reads (user_id, role, acting_unit, kind, person_id, people) "
                      "VALUES ('u', 'auditor', 'unit-x', 'history', 'person-1', 1)")  # fmt: skip
        with pytest.raises(psycopg.Error, match="append-only"):
            owner.execute(statement)


def test_a_log_created_by_init_is_adopted_without_ddl(postgres_url: str, app_role: tuple[str, str]) -> None:
    open_store(postgres_url).close()
    upgrade(postgres_url, app_role[0])
    with psycopg.connect(postgres_url) as connection:
        versions = connection.execute("SELECT version FROM log_schema_version ORDER BY version").fetchall()
        assert versions == [(step,) for step in range(1, SCHEMA_VERSION + 1)]  # each step once: no DDL again


def test_downgrade_undoes_only_an_empty_log(postgres_url: str, app_role: tuple[str, str]) -> None:
    upgrade(postgres_url, app_role[0])
    assert downgrade(postgres_url, app_role[0]) is None
    with psycopg.connect(postgres_url) as connection:
        left = connection.execute(CATALOG["columns"] + " AND table_name <> 'alembic_version'").fetchall()
        assert (left, connection.execute(CATALOG["functions"]).fetchall()) == ([], [])

    upgrade(postgres_url, app_role[0])
    store = open_store(postgres_url, codec=CODEC)
    store.append("file-1", [noted()], expected_version=0)
    store.close()
    with pytest.raises(RuntimeError, match="the log holds 1 events"):
        downgrade(postgres_url, app_role[0])
    assert schema_of(postgres_url)["triggers"]


def test_an_edited_released_step_is_refused() -> None:
    with pytest.raises(ReleasedRevisionChanged, match="keep released DDL"):
        require_unchanged(1, "0" * 64, projection_tables_digest())


def test_the_app_role_on_an_unmigrated_database_is_told_to_migrate(
    postgres_url: str, app_role: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    role, password = app_role
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    opened: list[ConnectionPool] = []

    class WatchedPool(ConnectionPool):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr("eventstore.postgres.ConnectionPool", WatchedPool)
    with pytest.raises(SchemaNotCurrent, match="run `partyledger migrate` as the database owner"):
        open_store(as_role(postgres_url, role, password))
    # Closed by the refusal, not left to the GC: reaped on its own worker thread, a pool cannot join itself.
    assert [pool.closed for pool in opened] == [True]


def test_partyledger_migrate_reports_the_revision_and_the_login(postgres_url: str, app_role: tuple[str, str]) -> None:
    role, password = app_role
    environment = {"PARTYLEDGER_APP_ROLE": role, "PARTYLEDGER_APP_PASSWORD": password}
    result = CliRunner().invoke(cli, ["migrate", "--database-url", postgres_url], env=environment)
    assert (result.exit_code, result.output.strip()) == (0, f"schema at revision 0013; role {role} may log in")
    again = CliRunner().invoke(cli, ["migrate", "--database-url", postgres_url], env=environment)
    assert again.exit_code == 0
    with psycopg.connect(as_role(postgres_url, role, password)) as app:
        assert app.execute("SELECT count(*) FROM event_log").fetchone() == (0,)


def test_partyledger_settings_names_each_bad_value_on_its_own_line() -> None:
    result = CliRunner().invoke(cli, ["settings"], env={"PARTYLEDGER_QUEUE": "a b", "PARTYLEDGER_APP_ROLE": "Bad-Role"})
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: PARTYLEDGER_QUEUE must be letters, digits, '-', '_' or '.'; got 'a b'",
        "PARTYLEDGER_APP_ROLE must be a PostgreSQL role name (a-z, 0-9, _; ≤ 63); got 'Bad-Role'",
    ]


def test_after_a_restore_into_a_fresh_cluster_new_positions_continue_above_the_log(
    postgres_url: str, app_role: tuple[str, str]
) -> None:
    """A restored log from a cluster whose transaction ids ran far ahead: new events must sort after it."""
    upgrade(postgres_url, app_role[0])
    store = open_store(postgres_url, codec=CODEC)
    store.append("file-1", [noted("before the backup")], expected_version=0)
    with psycopg.connect(postgres_url, autocommit=True) as owner:  # what pg_restore of that cluster leaves
        owner.execute(
            "INSERT INTO event_log SELECT position + 1024 * 10000000000, 'file-restored', stream_version, unit_id, "
            "event_type, schema_version, data, metadata, occurred_on, recorded_at, prev_hash, hash, also_unit_id "
            "FROM event_log"
        )
        restored = owner.execute("SELECT max(position) FROM event_log").fetchone()
    assert restored is not None
    stale = store.append("file-2", [noted("unseen")], expected_version=0)
    assert stale.last_position < restored[0]  # the trap: a tailing reader past the restored log never sees it

    result = CliRunner().invoke(
        cli, ["migrate", "--database-url", postgres_url, "--after-restore"], env={"PARTYLEDGER_APP_ROLE": app_role[0]}
    )
    assert result.exit_code == 0 and "positions continue above the restored log" in result.output
    fresh = store.append("file-3", [noted("after the restore")], expected_version=0)
    assert fresh.last_position > restored[0]
    deadline = time.monotonic() + 20  # the horizon is the whole server's: another test's transaction may hold it
    while store.head_position() < fresh.last_position and time.monotonic() < deadline:
        time.sleep(0.05)
    page = store.read_all(after_position=restored[0])
    assert [e.stream_id for e in page.events] == ["file-3"]
    store.close()
