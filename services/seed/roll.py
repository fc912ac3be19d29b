"""The roll at the ledger's start: members admitted years before, entered with EnrollMember, unit by unit.

Party seniority runs from the decision, taken between 18 and the mid-forties; probation lasted exactly twelve
months (R-RECOGNISE-BACKDATE). About one member in thirty is still on probation: they carry on through the
recognition steps in the ledger.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.person import member_commands as mc
from domain.rules.periods import add_months
from services.seed.agenda import Agenda
from services.seed.desk import Desk, Person
from services.seed.fates import Fate, draw_fate
from services.seed.journey import plan_next
from services.seed.plan import UnitPlan
from services.seed.population import Newcomer

PROBATIONARY_SHARE = 0.03
CARD_PREFIX = "19"


def enrol_grassroots(desk: Desk, agenda: Agenda, grassroots_id: str, on: date) -> None:
    """Enter the roll of one grassroots organisation: every cell under it, by its organisation officer."""
    snapshot = desk.tree.as_of(on)
    for cell in desk.plan.cells:
        if cell.quiet_until is None and snapshot.is_within(cell.unit_id, grassroots_id):
            for _ in range(cell.size):
                enrol(desk, agenda, cell, on, grassroots_id, desk.rng.random() < PROBATIONARY_SHARE)


def enrol(
    desk: Desk,
    agenda: Agenda,
    cell: UnitPlan,
    on: date,
    acting_unit_id: str,
    probationary: bool,
    newcomer: Newcomer | None = None,
    ceremony_on: date | None = None,
    fate: Fate | None = None,
) -> Person | None:
    """One member from the roll; a probationary one then follows the journey to recognition."""
    newcomer = newcomer or desk.population.member(cell.profile, cell.area, on)
    adult = add_months(newcomer.particulars.date_of_birth, 12 * 18)
    admitted, ceremony = _dates(desk, adult, on, probationary, ceremony_on)
    official_from = add_months(ceremony, 12) if add_months(ceremony, 12) <= on else None
    person = desk.newcomer(newcomer, since=on)
    person.fate = fate or draw_fate(desk.rng)
    command = mc.EnrollMember(
        person_id=person.person_id,
        occurred_on=on,
        acting_unit_id=acting_unit_id,
        citizen_id=newcomer.citizen_id,
        particulars=newcomer.particulars,
        cell_id=cell.unit_id,
        admitted_on=admitted,
        ceremony_on=ceremony,
        official_from=official_from,
        roll_ref=_roll_ref(len(desk.people), official=official_from is not None),
    )
    if not desk.command(person, command):
        del desk.people[person.person_id]
        return None
    if official_from is None:
        plan_next(desk, agenda, person, on, entered=True)
    return person


def _roll_ref(serial: int, official: bool) -> str:
    """The party card of an official member; the probationary roll's line for one still on probation."""
    card = f"{CARD_PREFIX}{serial:06d}"
    return f"Thẻ đảng viên số {card}" if official else f"Danh sách đảng viên dự bị, số {card[-4:]}"


def _dates(desk: Desk, adult: date, on: date, probationary: bool, ceremony_on: date | None) -> tuple[date, date]:
    """(decision, ceremony): a recent ceremony for a probationary member, else one at least a year back."""
    rng = desk.rng
    if ceremony_on is not None:
        return ceremony_on - timedelta(days=rng.randint(10, 25)), ceremony_on
    if probationary:
        ceremony = on - timedelta(days=rng.randint(20, 330))
        admitted = ceremony - timedelta(days=rng.randint(5, 40))
        if admitted >= adult:
            return admitted, ceremony
    latest = on - timedelta(days=420)
    admitted = add_months(adult, 12 * int(rng.triangular(1, 27, 6))) + timedelta(days=rng.randint(0, 364))
    if admitted > latest:
        admitted = adult + timedelta(days=rng.randint(1, max(1, (latest - adult).days)))
    return admitted, admitted + timedelta(days=rng.randint(5, 35))
