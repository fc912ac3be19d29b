"""The yearly review (DOMAIN.md §4): each grassroots organisation rates its members in December, then screens them.

R-RATING: Excellent at most a fifth of those rated Good in the same unit (the member's cell, as the log counts
them) and year, so Good and the rest are rated first and an Excellent that would pass the quota is rated Good.
From `qd294-2025` on, a score out of 100 is given instead of a grade. R-SCREENING: two years running
NotCompleted → removal is proposed.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Final

from domain.person import member_commands as mc
from domain.person.facts import PersonFacts, RatingFacts
from domain.person.stages import MEMBER_STAGES
from domain.rules.ratings import Grade
from domain.rules.registry import rules_in_force
from domain.rules.removal import ScreeningOutcome, StrikeOffGround
from services.seed.admission import at, cell_of
from services.seed.agenda import Agenda
from services.seed.desk import Desk, Person
from services.seed.life import strike_off
from services.seed.timing import later, working_day

GRADES: Final[tuple[tuple[Grade, float], ...]] = (
    (Grade.EXCELLENT, 0.16),
    (Grade.GOOD, 0.70),
    (Grade.COMPLETED, 0.135),
    (Grade.NOT_COMPLETED, 0.005),
)
SCORES: Final[dict[Grade, tuple[int, int]]] = {
    Grade.EXCELLENT: (90, 98),
    Grade.GOOD: (70, 89),
    Grade.COMPLETED: (50, 69),
    Grade.NOT_COMPLETED: (30, 49),
}


def plan_reviews(desk: Desk, agenda: Agenda, year: int) -> None:
    """On 1 December, each grassroots organisation then alive picks its review day (8–22 December)."""
    agenda.at(date(year, 12, 1), lambda on: _schedule(desk, agenda, year, on))


def _schedule(desk: Desk, agenda: Agenda, year: int, on: date) -> None:
    snapshot = desk.tree.as_of(on)
    for unit in sorted(snapshot, key=lambda u: u.unit_id):
        if unit.kind.is_grassroots:
            day = working_day(desk, date(year, 12, desk.rng.randint(8, 22)))
            agenda.at(day, partial(rate_unit, desk, agenda, unit.unit_id, year))


def reviewed(desk: Desk, grassroots_id: str, on: date) -> list[Person]:
    """The members of every cell of the organisation on the review day, cell by cell."""
    snapshot = desk.tree.as_of(on)
    if grassroots_id not in snapshot:
        return []
    cells = [u for u in sorted(snapshot.subtree(grassroots_id)) if snapshot.require(u).kind.holds_members]
    return [p for cell in cells for p in desk.members(cell) if p.state.stage in MEMBER_STAGES]


def rate_unit(desk: Desk, agenda: Agenda, grassroots_id: str, year: int, on: date) -> None:
    """R-RATING for one organisation and year, within the Excellent quota; screening follows a few days later."""
    people = [p for p in reviewed(desk, grassroots_id, on) if all(r.year != year for r in p.state.ratings)]
    planned = [(p, _grade(desk, p, year, on)) for p in people]
    ordered = sorted(planned, key=lambda pg: pg[1] is Grade.EXCELLENT)
    scored = rules_in_force(on).rating_scored
    for person, grade in ordered:
        counts = desk.rating_counts.setdefault((cell_of(person), year), [0, 0])
        if grade is Grade.EXCELLENT and 5 * (counts[1] + 1) > counts[0]:
            grade = Grade.GOOD
        facts = PersonFacts(rating=RatingFacts(rated_good=counts[0], rated_excellent=counts[1]))
        score = desk.rng.randint(*SCORES[grade]) if scored else None
        rate = mc.RateMember(**at(person, on), year=year, grade=None if scored else grade, score=score)
        if desk.command(person, rate, facts):
            counts[0] += grade is Grade.GOOD
            counts[1] += grade is Grade.EXCELLENT
    agenda.at(later(desk, on, 2, 8), lambda d: screen_unit(desk, agenda, grassroots_id, year, d))


def _grade(desk: Desk, person: Person, year: int, on: date) -> Grade:
    if person.troubled_from is not None and year - person.troubled_from in (0, 1):
        return Grade.NOT_COMPLETED
    grade = desk.rng.choices([g for g, _ in GRADES], [w for _, w in GRADES])[0]
    if grade is Grade.NOT_COMPLETED and desk.quiet(person.state.cell_id or "", on):
        return Grade.COMPLETED
    return grade


def screen_unit(desk: Desk, agenda: Agenda, grassroots_id: str, year: int, on: date) -> None:
    """R-SCREENING: keep; educate after one year NotCompleted; propose removal after two (then strike-off)."""
    for person in reviewed(desk, grassroots_id, on):
        if any(y == year for y, _ in person.state.screenings):
            continue
        streak = person.state.not_completed_streak(year)
        outcome = ScreeningOutcome.KEEP
        if streak >= 2:
            outcome = ScreeningOutcome.PROPOSE_REMOVAL
        elif streak == 1:
            outcome = ScreeningOutcome.EDUCATE
        screened = desk.command(person, mc.RecordScreeningOutcome(**at(person, on), year=year, outcome=outcome))
        if screened and outcome is ScreeningOutcome.PROPOSE_REMOVAL:
            agenda.at(later(desk, on, 20, 50), partial(_propose_removal, desk, agenda, person))


def _propose_removal(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    m = person.state.membership
    if person.state.stage in MEMBER_STAGES and m is not None and m.strike_off_ground is None:
        strike_off(desk, agenda, person, on, StrikeOffGround.BREACHES_TWO_YEARS)
