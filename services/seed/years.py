"""The ledger's years, on the agenda: the tree and the roll in October 2020, then each year's round up to the
agenda's last day (31/12/2025 by default; the demo runs to today).

Each January the grassroots organisations set their yearly plans and the cells list new candidates through
the year; each December they review their members. Term targets come from the 2020–2025 congresses (entered
on the first day) and from the 2025–2030 ones (October 2025, after the reorganisation).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import partial
from typing import Final

from domain.units.commands import RegisterUnit, SetTermTarget, SetYearlyPlan
from domain.units.events import TargetMetric
from domain.units.kinds import UnitKind
from services.seed import life, reorganise, review, roll, school
from services.seed.agenda import Agenda
from services.seed.desk import Desk
from services.seed.journey import nominate
from services.seed.plan import SCHOOL_ID, UnitPlan
from services.seed.population import Profile

FIRST_DAY: Final = date(2020, 10, 1)
RANDOM_LIFE_FROM: Final = date(2020, 11, 2)
NEW_TERM_TARGETS: Final = date(2025, 10, 15)
FIRST_YEAR: Final = 2021
NOMINATION_RATE: Final[dict[Profile, float]] = {
    Profile.AGENCY: 0.06,
    Profile.SCHOOL: 0.06,
    Profile.HEALTH: 0.05,
    Profile.ENTERPRISE: 0.05,
    Profile.VILLAGE: 0.028,
    Profile.WARD: 0.02,
    Profile.COMMUNE_OFFICE: 0.07,
}
"""Candidates listed per member and year; about three in four of them are admitted in the end."""


def open_ledger(desk: Desk, agenda: Agenda, on: date) -> None:
    """Day one: register the tree and the 2020–2025 targets; plan the roll, the script and the years."""
    for unit in desk.plan.units:
        command = RegisterUnit(unit.unit_id, unit.code, unit.name, unit.kind, unit.parent_id, unit.delegated)
        desk.unit_command(command, on, "Danh sách tổ chức đảng trực thuộc tại thời điểm lập sổ")
    _term_targets(desk, on, "2020-2025")
    for n, unit in enumerate(u for u in desk.plan.units if u.kind.is_grassroots and u.quiet_until is None):
        day = desk.calendar.next_working_day(on + timedelta(days=1 + n % 28))
        agenda.at(day, partial(roll.enrol_grassroots, desk, agenda, unit.unit_id))
    school.script(desk, agenda)
    reorganise.schedule(desk, agenda)
    agenda.at(RANDOM_LIFE_FROM, lambda d: _round(desk, agenda, d, date(2020, 12, 18), share=2 / 12))
    review.plan_reviews(desk, agenda, 2020)
    for year in range(FIRST_YEAR, agenda.until.year + 1):  # to the agenda's last day (the demo's: today)
        agenda.at(date(year, 1, 4), lambda d: _new_year(desk, agenda, d))
        review.plan_reviews(desk, agenda, year)
    agenda.at(NEW_TERM_TARGETS, lambda d: _term_targets(desk, d, "2025-2030"))


def _new_year(desk: Desk, agenda: Agenda, on: date) -> None:
    day = desk.calendar.next_working_day(on)
    _yearly_plans(desk, day)
    _round(desk, agenda, date(day.year, 2, 1), date(day.year, 11, 30))


def _round(desk: Desk, agenda: Agenda, start: date, end: date, share: float = 1.0) -> None:
    """A year's candidates in every cell, on random working days, and every member's events of the year."""
    span = (end - start).days
    for cell in desk.plan.cells:
        size = len(desk.rolls.get(cell.unit_id, {}))
        rate = NOMINATION_RATE[cell.profile] * share
        for _ in range(sum(desk.rng.random() < rate for _ in range(size))):
            day = desk.calendar.next_working_day(start + timedelta(days=desk.rng.randint(0, span)))
            agenda.at(day, partial(_nominate, desk, agenda, cell.unit_id))
    life.plan_year(desk, agenda, start, end, share)


def _nominate(desk: Desk, agenda: Agenda, cell_id: str, on: date) -> None:
    if not desk.quiet(cell_id, on):
        nominate(desk, agenda, cell_id, on)


def _expected_admissions(desk: Desk, unit: UnitPlan, years: int) -> int:
    cells = [c for c in desk.plan.cells if c.unit_id == unit.unit_id or _under(desk, c, unit.unit_id)]
    return math.ceil(sum(c.size * NOMINATION_RATE[c.profile] for c in cells) * years * 0.75)


def _under(desk: Desk, cell: UnitPlan, grassroots_id: str) -> bool:
    parent = cell.parent_id
    while parent is not None:
        if parent == grassroots_id:
            return True
        parent = desk.units[parent].parent_id if parent in desk.units else None
    return False


def _term_targets(desk: Desk, on: date, term: str) -> None:
    """Admissions and awareness-class targets of each grassroots organisation's congress (the school's: 5)."""
    ref = f"Nghị quyết Đại hội nhiệm kỳ {term}"
    for unit in desk.tree.as_of(on):
        if not unit.kind.is_grassroots or unit.unit_id not in desk.units:
            continue
        plan = desk.units[unit.unit_id]
        admissions = school.TERM_TARGET if unit.unit_id == SCHOOL_ID else max(1, _expected_admissions(desk, plan, 5))
        targets = ((TargetMetric.ADMISSIONS, admissions), (TargetMetric.AWARENESS_TRAINEES, admissions + 2))
        for metric, target in targets:
            desk.unit_command(SetTermTarget(unit.unit_id, term, metric, target, ref), on, ref)


def _yearly_plans(desk: Desk, on: date) -> None:
    """Each organisation's plan for the year: about a fifth of its term target, give or take one."""
    for unit in desk.tree.as_of(on):
        if unit.kind is not UnitKind.GRASSROOTS_COMMITTEE and unit.kind is not UnitKind.GRASSROOTS_CELL:
            continue
        term = "2020-2025" if on.year <= 2025 else "2025-2030"
        target = unit.term_target(term, TargetMetric.ADMISSIONS) or 1
        planned = max(0, round(target / 5) + desk.rng.randint(-1, 1))
        desk.unit_command(SetYearlyPlan(unit.unit_id, on.year, TargetMetric.ADMISSIONS, planned), on)
        desk.unit_command(SetYearlyPlan(unit.unit_id, on.year, TargetMetric.AWARENESS_TRAINEES, planned + 1), on)
