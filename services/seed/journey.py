"""A candidate's journey: nominated by a cell, then one step at a time until admitted and recognised, or off-ramped.

`tick` takes the step the file's stage calls for (or the detour its fate holds at that stage), then plans
the next one with `timing.next_date`. A step that could not be taken (no quorum, no sponsor, a refusal) is
tried again a month or two later; after a year of waiting the candidate withdraws.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from domain.person import commands as c
from domain.person.detours import RETURNABLE
from domain.person.facts import PersonFacts
from domain.person.stages import FILE_STAGES, Stage
from services.seed import admission, probation
from services.seed.admission import at, cell_of
from services.seed.agenda import Agenda
from services.seed.desk import Desk, Person
from services.seed.facts import member_facts
from services.seed.fates import Fate, Outcome, draw_fate
from services.seed.papers import RETURN_REASONS, WITHDRAW_REASONS, numbered
from services.seed.population import Newcomer
from services.seed.timing import later, next_date

Step = Callable[[Desk, Person, date], None]
MAX_WAITS = 8
"""Tries of a step that cannot be taken yet before the candidate gives up (about a year)."""

STEPS: dict[Stage, Step] = {
    Stage.SOURCE_POOL: admission.train,
    Stage.TRAINED: admission.apply,
    Stage.APPLIED: admission.verify,
    Stage.VERIFIED: admission.sponsor,
    Stage.SPONSORED: admission.vote,
    Stage.CELL_APPROVED: admission.after_vote,
    Stage.COMMITTEE_APPROVED: admission.decide,
    Stage.ADMITTED: probation.ceremony,
    Stage.PROBATIONARY: probation.probation,
}


def nominate(
    desk: Desk,
    agenda: Agenda,
    cell_id: str,
    on: date,
    newcomer: Newcomer | None = None,
    fate: Fate | None = None,
    timetable: dict[Stage, date] | None = None,
) -> Person | None:
    """§2.1: the cell lists a candidate (living or working in the unit for some years) with an official helper."""
    helpers = desk.officials(cell_id)
    if not helpers:
        return None
    cell = desk.plan_of(cell_id)
    newcomer = newcomer or desk.population.candidate(cell.profile, cell.area, on)
    person = desk.newcomer(newcomer, since=on)
    person.fate, person.timetable = fate or draw_fate(desk.rng), dict(timetable or {})
    helper = desk.rng.choice(helpers)
    command = c.NominateCandidate(
        **at(person, on, cell_id),
        citizen_id=newcomer.citizen_id,
        particulars=newcomer.particulars,
        helper_id=helper.person_id,
        resolution_ref=numbered(desk.rng, "NQ", "CB", on, "về danh sách quần chúng ưu tú"),
    )
    if not desk.command(person, command, PersonFacts(member=member_facts(helper))):
        del desk.people[person.person_id]
        return None
    plan_next(desk, agenda, person, on, entered=True)
    return person


def follow(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """Put the person's next step on the agenda for `on`."""
    agenda.at(on, lambda day: tick(desk, agenda, person, day))


def plan_next(desk: Desk, agenda: Agenda, person: Person, on: date, entered: bool) -> None:
    upcoming = next_date(desk, person, on, entered)
    if upcoming is not None:
        follow(desk, agenda, person, upcoming)


def tick(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """Take one step; plan the next, or wait and try again if nothing could be recorded."""
    before = person.state
    step(desk, person, on)
    if person.state.version != before.version:
        plan_next(desk, agenda, person, on, entered=person.state.stage is not before.stage)
        return
    fate = person.fate
    fate.waits += 1
    if fate.waits <= MAX_WAITS:
        follow(desk, agenda, person, later(desk, on, 30, 60))
    elif person.state.stage in RETURNABLE | {Stage.SOURCE_POOL}:
        withdraw(desk, person, on, "Chi bộ chưa đủ điều kiện xem xét, đưa ra khỏi danh sách nguồn")


def step(desk: Desk, person: Person, on: date) -> None:
    """The detour the fate holds at this stage, if any, else the stage's own step."""
    stage, fate = person.state.stage, person.fate
    if stage in FILE_STAGES:
        if fate.outcome is Outcome.WITHDRAW and fate.leave_at is stage:
            withdraw(desk, person, on, desk.rng.choice(WITHDRAW_REASONS))
            return
        if fate.return_at is stage:
            fate.return_at = None
            return_dossier(desk, person, on)
            return
        if fate.transfer_at is stage:
            fate.transfer_at = None
            if transfer(desk, person, on):
                return
    action = STEPS.get(stage)
    if action is not None:
        action(desk, person, on)


def withdraw(desk: Desk, person: Person, on: date, reason: str) -> None:
    """§3: the candidate leaves the source pool; the file closes."""
    desk.command(person, c.WithdrawCandidate(**at(person, on), reason=reason))


def return_dossier(desk: Desk, person: Person, on: date) -> None:
    """R-DOSSIER-RETURN [U]: the level above sends the dossier back one stage for correction."""
    file = person.state.file
    assert file is not None
    if person.state.stage is Stage.COMMITTEE_APPROVED or file.grassroots_cell:
        acting = desk.tree.competent_decider(cell_of(person), on).unit_id
    else:
        acting = desk.grassroots_of(cell_of(person), on).unit_id
    reason = desk.rng.choice(RETURN_REASONS)
    desk.command(person, c.ReturnDossier(**at(person, on, acting), reason=reason))


def transfer(desk: Desk, person: Person, on: date) -> bool:
    """§3: the file moves to another cell (often of the same unit) that has a helper to give it."""
    here = cell_of(person)
    grassroots = desk.grassroots_of(here, on).unit_id
    subtree = sorted(desk.tree.as_of(on).subtree(grassroots))
    nearby = [u for u in subtree if u != here and u in desk.units and desk.units[u].kind.holds_members]
    for _ in range(20):
        near = nearby and desk.rng.random() < 0.5
        target = desk.rng.choice(nearby) if near else desk.rng.choice(desk.plan.cells).unit_id
        helpers = desk.officials(target)
        if target != here and len(helpers) >= 3 and not desk.quiet(target, on):
            helper = desk.rng.choice(helpers)
            move = c.TransferCandidate(**at(person, on), to_cell_id=target, helper_id=helper.person_id)
            if desk.command(person, move, PersonFacts(member=member_facts(helper))):
                person.since = on
                return True
            return False
    return False
