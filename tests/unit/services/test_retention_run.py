"""R-PRIVACY-RETAIN's run (issue 20 item 4): a file past its retention period is listed to its unit for the notice
period, then erased through the one erasure use case; a second run, or a second worker, changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from celery.schedules import crontab

from domain.person.erasure import ErasureGround
from domain.privacy import ERASED_TEXT
from domain.retention import retention_rules
from eventstore import EventStore
from services.commands.context import CommandContext
from services.privacy.outcomes import scan_log
from services.privacy.retention_run import RETENTION_USER, due_for_erasure, run_retention
from services.settings import Settings
from tests.unit.services.officers import SECRETARY, enrol, nominate, person, take

RULES = retention_rules()  # withdrawn: 24 months
NOTICE = 30
TODAY = date(2023, 6, 10)


def withdraw(ctx: CommandContext, n: int, on: str) -> str:
    nominate(ctx, n, helper=person(1), key=f"n{n}")
    take(ctx, SECRETARY, "withdrawCandidate", person(n), f"w{n}", reason="Xin rút vì lý do gia đình",
         occurred_on=on, expected_version=1)  # fmt: skip
    return person(n)


@pytest.fixture
def three(ctx: CommandContext) -> tuple[str, str, str]:
    """Withdrawn: past period and notice (due 01/04/2023), within the notice (due 01/06/2023), inside the period."""
    enrol(ctx, 1)
    return withdraw(ctx, 2, "2021-04-01"), withdraw(ctx, 3, "2021-06-01"), withdraw(ctx, 4, "2022-01-10")


def erased(ctx: CommandContext, person_id: str) -> bool:
    return ctx.people.load(ctx.store, person_id).erased


def test_a_file_is_listed_for_the_notice_period_then_erased_and_one_within_its_period_is_kept(
    ctx: CommandContext, three: tuple[str, str, str]
) -> None:
    past, noticed, kept = three

    due = due_for_erasure(scan_log(ctx.store).people, RULES, TODAY, NOTICE)
    assert [(d.person.person_id, d.erase_on) for d in due] == [(past, date(2023, 5, 1)), (noticed, date(2023, 7, 1))]
    assert due[1].person.full_name == "Quần Chúng Bình"  # the unit reads whose file it is while it may

    run = run_retention(ctx, RULES, TODAY, NOTICE)

    assert (run.erased, run.in_notice, run.raced) == (1, 1, 0)
    assert erased(ctx, past) and not erased(ctx, noticed) and not erased(ctx, kept)
    erasure = ctx.store.read_stream(past)[-1]
    assert erasure.event_type == "PersonalDataErased"
    assert erasure.data["ground"] == ErasureGround.PURPOSE_COMPLETE.value
    assert erasure.data["decision_ref"] == "R-PRIVACY-RETAIN:withdrawn"
    assert erasure.metadata["actor"] == RETENTION_USER and erasure.metadata["role"] == "provincial_admin"
    assert erasure.occurred_on == TODAY
    assert ctx.store.read_stream(past)[0].data["citizen_id"] == ERASED_TEXT
    assert "Quần Chúng" not in run.summary()  # the log line counts, never names
    assert [d.person.person_id for d in due_for_erasure(scan_log(ctx.store).people, RULES, TODAY, NOTICE)] == [noticed]


def test_a_second_run_changes_nothing(ctx: CommandContext, three: tuple[str, str, str]) -> None:
    run_retention(ctx, RULES, TODAY, NOTICE)
    head = ctx.store.head_position()

    again = run_retention(ctx, RULES, TODAY, NOTICE)

    assert (again.erased, again.in_notice, again.raced, again.finished) == (0, 1, 0, 0)
    assert ctx.store.head_position() == head


def test_the_notice_period_ends_and_the_next_run_erases(ctx: CommandContext, three: tuple[str, str, str]) -> None:
    _, noticed, kept = three
    run_retention(ctx, RULES, TODAY, NOTICE)

    later = run_retention(ctx, RULES, date(2023, 7, 1), NOTICE)

    assert (later.erased, later.in_notice) == (1, 0)
    assert erased(ctx, noticed) and not erased(ctx, kept)


def test_two_workers_at_once_erase_each_file_once(
    ctx: CommandContext, store: EventStore, three: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other worker appends its erasure between this one's reading of the file and its append: this one's
    append loses with a conflict, counted as done; nothing fails and the file holds one erasure."""
    past, _, _ = three
    other = CommandContext(store)
    append = store.append
    raced: list[str] = []

    def other_worker_first(stream_id: str, *args: Any, **kwargs: Any) -> Any:
        if stream_id == past and not raced:
            raced.append(stream_id)
            monkeypatch.setattr(store, "append", append)
            assert run_retention(other, RULES, TODAY, NOTICE).erased == 1
            monkeypatch.setattr(store, "append", other_worker_first)
        return append(stream_id, *args, **kwargs)

    monkeypatch.setattr(store, "append", other_worker_first)
    run = run_retention(ctx, RULES, TODAY, NOTICE)

    assert raced == [past]
    assert (run.erased, run.raced) == (0, 1)
    assert [r.event_type for r in store.read_stream(past)].count("PersonalDataErased") == 1
    assert store.read_stream(past)[0].data["citizen_id"] == ERASED_TEXT


def test_the_beat_runs_the_retention_daily(tmp_path: Path) -> None:
    from services.worker.app import create_app

    entry = create_app(Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(tmp_path)})).conf.beat_schedule[
        "erase-past-retention"
    ]

    assert entry["task"] == "partyledger.retention"
    assert isinstance(entry["schedule"], crontab)
    assert (entry["schedule"].hour, entry["schedule"].minute, entry["schedule"].day_of_week) == (
        {19},
        {30},
        set(range(7)),
    )
