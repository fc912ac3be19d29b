"""R-DATE-FUTURE: no paper is dated after today, the date in Vietnam when it is recorded — every person step,
unit change and calendar declaration, checked by the use cases once the walls hold (the domain reads no clock)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.calendar import declare_day_off
from domain.errors import RuleViolation
from domain.units.commands import SetTermTarget
from domain.units.events import TargetMetric
from services.commands.calendar import DayRequest, declare_day
from services.commands.context import CommandContext
from services.commands.person_steps import STEPS, Step
from services.commands.units import UnitChange, change_unit
from services.commands.walls import today
from tests.e2e.desk import sample_body
from tests.unit.services.officers import ADMIN, CELL, SIBLING, enrol, person, take


@pytest.mark.parametrize("step", STEPS, ids=[s.operation_id for s in STEPS])
def test_every_step_refuses_a_paper_dated_after_today(ctx: CommandContext, step: Step) -> None:
    """R-DATE-FUTURE, whatever the step and the file's stage: checked once the walls hold, before the rules."""
    enrol(ctx, 1)
    head = ctx.store.head_position()
    body = sample_body(step.body) | {"occurred_on": (today() + timedelta(days=1)).isoformat(), "expected_version": 1}
    body |= {name: unit for name, unit in (("cell_id", CELL), ("to_cell_id", SIBLING)) if name in body}
    who = person(7) if step.creates else person(1)
    with pytest.raises(RuleViolation) as refused:
        take(ctx, ADMIN, step.operation_id, who, "future", **body)
    assert refused.value.rule_id == "R-DATE-FUTURE"
    assert ctx.store.head_position() == head


def test_a_unit_change_or_a_day_dated_after_today_is_refused(ctx: CommandContext) -> None:
    version, _ = ctx.versioned_tree()
    tomorrow = today() + timedelta(days=1)
    target = SetTermTarget("unit-school", "2025-2030", TargetMetric.ADMISSIONS, 5, "NQ ĐH")
    with pytest.raises(RuleViolation, match="R-DATE-FUTURE"):
        change_unit(ctx, UnitChange(ADMIN, target, tomorrow, version, "t"))
    with pytest.raises(RuleViolation, match="R-DATE-FUTURE"):
        declare_day(ctx, DayRequest(ADMIN, declare_day_off(tomorrow, "Nghỉ bù"), tomorrow, 0, "d"))


def test_a_paper_dated_today_is_accepted(ctx: CommandContext) -> None:
    version, _ = ctx.versioned_tree()
    target = SetTermTarget("unit-school", "2025-2030", TargetMetric.ADMISSIONS, 5, "NQ ĐH")
    assert change_unit(ctx, UnitChange(ADMIN, target, today(), version, "t")).stream_version == version + 1
