"""The daily retention run on a real worker (R-PRIVACY-RETAIN, issue 20 item 4): the task delivered twice to a
worker with two task processes erases a file past its period and notice exactly once, and logs counts, never
names (a true race of two appends is tests/unit/services/test_retention_run.py's)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from eventstore.postgres import PostgresEventStore
from services.commands.context import CommandContext
from services.data_keys import open_ledger_log
from services.embedded import seed_minimal_province
from services.worker.app import create_app
from tests.integration.worker.conftest import settings_of, worker_env
from tests.support.person_ids import TEST_PERSON_ID_KEY
from tests.support.processes import celery_worker, wait_for
from tests.unit.services.officers import SECRETARY, enrol, nominate, person, take


def test_the_retention_task_twice_at_once_erases_a_due_file_once(
    postgres_url: str, redis_url: str, store: PostgresEventStore, engine: sa.Engine, tmp_path: Path
) -> None:
    env = worker_env(postgres_url, redis_url, tmp_path)
    settings = settings_of(env)
    ledger = open_ledger_log(settings)
    try:
        seed_minimal_province(ledger)
        ctx = CommandContext(ledger, person_key=TEST_PERSON_ID_KEY)
        enrol(ctx, 1)
        nominate(ctx, 2, helper=person(1))
        take(ctx, SECRETARY, "withdrawCandidate", person(2), "w2", reason="Xin rút", occurred_on="2021-04-01",
             expected_version=1)  # fmt: skip
        app = create_app(settings)
        log = tmp_path / "worker.log"
        with celery_worker(env, log, concurrency=2):
            for _ in range(2):
                app.send_task("partyledger.retention", queue=settings.queue)

            def erased_by_both() -> bool:
                lines = log.read_text().splitlines()
                return sum("partyledger.retention[" in line and "succeeded" in line for line in lines) == 2

            wait_for(erased_by_both, 90, "both deliveries of the retention task")
        fresh = open_ledger_log(settings)  # this process still holds the keys it sealed with: read as a new one
        try:
            stream = fresh.read_stream(person(2))
        finally:
            fresh.close()
        assert [r.event_type for r in stream].count("PersonalDataErased") == 1
        assert stream[-1].data["decision_ref"] == "R-PRIVACY-RETAIN:withdrawn"
        assert stream[0].data["citizen_id"] == "đã xóa dữ liệu cá nhân"
        text = log.read_text()
        assert "1 file(s) erased" in text and "Quần Chúng" not in text
        failed = [line for line in text.splitlines() if "partyledger.retention[" in line and "succeeded" not in line
                  and "received" not in line]  # fmt: skip
        assert failed == []  # (a catch-up the erasure rang may be cut short when the worker stops: not ours)
    finally:
        ledger.close()
