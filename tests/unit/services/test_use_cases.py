"""The use cases of services/commands, called as every adapter calls them: no HTTP, no database server.

Each test builds a `CommandContext` over the memory store (the contract suite proves it behaves as SQLite and
PostgreSQL do) with a doorbell that only remembers what it was asked to ring, and checks what an officer cares
about: the step is recorded and the right units rung; a wall refuses exactly like a missing person and writes
nothing; a stale version is a conflict; a retry is the first answer. The file runs in well under a second.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import declare_day_off
from domain.errors import InvalidCommand
from domain.units.commands import MergeUnit, RegisterUnit, SetTermTarget
from domain.units.events import TargetMetric
from domain.units.kinds import UnitKind
from eventstore import EventStore, WrongExpectedVersion
from services.commands.actors import Actor, Role
from services.commands.calendar import DayRequest, declare_day
from services.commands.context import CommandContext
from services.commands.units import UnitChange, change_unit
from services.commands.walls import NotFound, WallDenied
from tests.support.person_ids import TEST_PERSON_ID_KEY
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import ADMIN, CELL, NEIGHBOUR, SECRETARY, SIBLING, enrol, nominate, person, take


def test_a_nomination_is_recorded_and_rings_the_cell(ctx: CommandContext, bell: Bell) -> None:
    helper = person(1)
    enrol(ctx, 1)
    done = nominate(ctx, 2, helper)
    assert (done.stream_id, done.stream_version, done.duplicate) == (person(2), 1, False)
    assert CELL in bell.rung
    assert ctx.people.load(ctx.store, person(2)).cell_id == CELL


def test_a_retry_with_the_same_key_answers_the_first_result_and_appends_nothing(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    first = nominate(ctx, 2, person(1), key="same")
    head = ctx.store.head_position()
    again = nominate(ctx, 2, person(1), key="same")
    assert (again.stream_version, again.last_position, again.duplicate) == (1, first.last_position, True)
    assert ctx.store.head_position() == head


def test_a_step_on_a_person_behind_the_wall_is_refused_like_a_missing_one(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    head = ctx.store.head_position()
    body = {"issued_on": "2021-04-01", "certificate_ref": "GCN 1", "occurred_on": "2021-04-02", "expected_version": 1}
    with pytest.raises(WallDenied) as foreign:
        take(ctx, NEIGHBOUR, "recordTrainingCertificate", person(1), "k1", **body)
    with pytest.raises(NotFound) as missing:
        take(ctx, NEIGHBOUR, "recordTrainingCertificate", person(9), "k2", **body)
    assert str(foreign.value) == str(missing.value)
    assert ctx.store.head_position() == head


def test_a_step_the_role_does_not_take_is_refused_before_anything_is_read(ctx: CommandContext) -> None:
    viewer = Actor("xem", Role.VIEWER, "unit-school")
    with pytest.raises(WallDenied):
        enrol(ctx, 1, actor=viewer)
    assert ctx.store.stream_version(person(1)) == 0


def test_a_transfer_to_a_cell_outside_the_walls_is_refused(ctx: CommandContext) -> None:
    """The destination is read through the step's typed `reads`: a renamed field would fail the type checker."""
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    outside = Actor("bithu.chibo1", Role.CELL_SECRETARY, CELL)
    with pytest.raises(WallDenied):
        take(ctx, outside, "transferCandidate", person(2), "t", to_cell_id=SIBLING, helper_id=person(1),
             occurred_on="2021-04-01", expected_version=1)  # fmt: skip


@pytest.mark.parametrize("destination", ["TCT-CB2", "Chi bộ Khoa Xây dựng Đảng", "unit-school", "unit-nowhere"])
def test_a_transfer_goes_only_to_a_unit_that_keeps_a_roll(ctx: CommandContext, destination: str) -> None:
    """Issue 22: a typed code was once logged as the destination and the member stayed in a transfer no page
    showed. A code, a name, a committee without a roll and an unknown id are refused at the field."""
    enrol(ctx, 1)
    head = ctx.store.head_position()
    with pytest.raises(InvalidCommand) as refused:
        take(ctx, SECRETARY, "introduceTransfer", person(1), f"x-{destination}", kind="official",
             to_unit_id=destination, cause_on="2021-05-01", occurred_on="2021-05-03", expected_version=1)  # fmt: skip
    assert refused.value.field == "to_unit_id"
    assert ctx.store.head_position() == head
    done = take(ctx, SECRETARY, "introduceTransfer", person(1), "x-ok", kind="official", to_unit_id=SIBLING,
                cause_on="2021-05-01", occurred_on="2021-05-03", expected_version=1)  # fmt: skip
    assert done.stream_version == 2


def test_a_stale_version_is_a_conflict_and_writes_nothing(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    head = ctx.store.head_position()
    body = {"issued_on": "2021-04-01", "certificate_ref": "GCN 1", "occurred_on": "2021-04-02"}
    with pytest.raises(WrongExpectedVersion) as conflict:
        take(ctx, SECRETARY, "recordTrainingCertificate", person(2), "k", expected_version=5, **body)
    assert conflict.value.current == 1
    assert ctx.store.head_position() == head


def test_a_unit_outside_the_administrators_subtree_is_refused(store: EventStore, bell: Bell) -> None:
    ctx = CommandContext(store, bell, TEST_PERSON_ID_KEY)
    school_admin = Actor("admin.truong", Role.PROVINCIAL_ADMIN, "unit-school")
    version, _ = ctx.versioned_tree()
    command = RegisterUnit("unit-new", "MOI", "Chi bộ mới", UnitKind.CELL, "unit-bloc")
    with pytest.raises(WallDenied):
        change_unit(ctx, UnitChange(school_admin, command, date(2021, 1, 4), version, "reg"))
    assert bell.rung == []


def test_a_merger_rings_both_units_and_answers_the_trees_new_version(ctx: CommandContext, bell: Bell) -> None:
    version, _ = ctx.versioned_tree()
    merger = MergeUnit(SIBLING, CELL, date(2021, 1, 1), "QĐ 12")
    done = change_unit(ctx, UnitChange(ADMIN, merger, date(2020, 12, 20), version, "merge"))
    assert done.stream_version == version + 1
    assert {SIBLING, CELL} <= set(bell.rung)


def test_a_term_target_is_an_officers_step_but_not_a_viewers(ctx: CommandContext) -> None:
    version, _ = ctx.versioned_tree()
    target = SetTermTarget("unit-school", "2020-2025", TargetMetric.ADMISSIONS, 5, "NQ ĐH")
    officer = Actor("canbo", Role.GRASSROOTS_OFFICER, "unit-school")
    with pytest.raises(WallDenied):
        change_unit(ctx, UnitChange(Actor("xem", Role.VIEWER, "unit-school"), target, date(2020, 10, 20), version, "t"))
    done = change_unit(ctx, UnitChange(officer, target, date(2020, 10, 20), version, "t"))
    assert done.stream_version == version + 1


def test_a_stale_unit_change_that_would_change_nothing_is_still_a_conflict(ctx: CommandContext) -> None:
    """I2: judged on the old tree the rename changes nothing; the current tree may differ, so the caller re-reads."""
    version, _ = ctx.versioned_tree()
    target = SetTermTarget("unit-school", "2020-2025", TargetMetric.ADMISSIONS, 5, "NQ ĐH")
    change_unit(ctx, UnitChange(ADMIN, target, date(2020, 10, 20), version, "first"))
    again = SetTermTarget("unit-school", "2020-2025", TargetMetric.ADMISSIONS, 6, "NQ ĐH")
    with pytest.raises(WrongExpectedVersion):
        change_unit(ctx, UnitChange(ADMIN, again, date(2020, 10, 21), version - 1, "second"))


def test_only_the_provinces_administrator_declares_days(ctx: CommandContext, bell: Bell) -> None:
    day = declare_day_off(date(2021, 9, 3), "Nghỉ bù")
    school_admin = Actor("admin.truong", Role.PROVINCIAL_ADMIN, "unit-school")
    with pytest.raises(WallDenied):
        declare_day(ctx, DayRequest(school_admin, day, date(2021, 8, 20), 0, "d"))
    done = declare_day(ctx, DayRequest(ADMIN, day, date(2021, 8, 20), 0, "d"))
    assert (done.stream_version, bell.rung) == (1, ["unit-province"])
    assert date(2021, 9, 3) in ctx.calendar().extra_days_off
