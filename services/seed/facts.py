"""Facts for person decisions, read off the desk's states on the step's date (DESIGN §1: log-derived, never a view).

The cell's roll is its official members now; those on a temporary transfer elsewhere are named so the vote
denominator leaves them out (R-VOTE-TWOTHIRDS). Deciders come from `UnitTree.competent_decider`, committee sizes
from the plan, co-working months from when each person joined the cell in the ledger.

Read here for speed, not from the log; tests/integration/test_seed_facts.py proves them equal, command by
command, to the facts `services.commands.person_facts` builds from the log for an officer's request.
"""

from __future__ import annotations

from datetime import date

from domain.person.facts import CellFacts, DeciderFacts, MemberFacts, SponsorFacts
from domain.person.stages import Stage
from domain.rules.eligibility import EducationExemption
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind
from domain.units.state import Unit
from services.seed.desk import Desk, Person
from services.seed.population import Area

DEFAULT_COMMITTEE_SIZE = 9


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 if `end` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def cell_facts(desk: Desk, cell_id: str, on: date) -> CellFacts:
    """The cell's roll on the vote date; a highland cell may waive the lower-secondary diploma (R-ELIG-EDU)."""
    officials = desk.officials(cell_id)
    away = [p.person_id for p in officials if p.state.membership and p.state.membership.temporary_unit_id]
    cell = desk.tree.as_of(on).require(cell_id)
    parent = desk.tree.as_of(on).get(cell.parent_id) if cell.parent_id else None
    highland = desk.plan_of(cell_id).area is Area.HIGHLAND
    return CellFacts(
        cell_id=cell_id,
        official_member_ids=frozenset(p.person_id for p in officials),
        temporarily_transferred_out_ids=frozenset(away),
        is_grassroots_cell=cell.kind is UnitKind.GRASSROOTS_CELL,
        sub_committee_id=parent.unit_id if parent and parent.kind is UnitKind.SUB_COMMITTEE else None,
        education_exemption=EducationExemption.MOUNTAIN if highland else None,
    )


def is_official(person: Person) -> bool:
    return person.state.stage is Stage.OFFICIAL


def member_facts(person: Person) -> MemberFacts:
    """A helper or mentor (R-HELPER-OFFICIAL)."""
    return MemberFacts(person_id=person.person_id, is_official=is_official(person))


def decider_facts(desk: Desk, unit: Unit) -> DeciderFacts:
    """A body as the tree has it, with the size of its committee from the plan (for two-thirds counts)."""
    plan = desk.units.get(unit.unit_id)
    size = plan.committee_size if plan is not None and plan.committee_size else DEFAULT_COMMITTEE_SIZE
    return DeciderFacts(
        unit_id=unit.unit_id,
        kind=unit.kind,
        admission_delegated=unit.admission_delegated,
        committee_size=size,
    )


def competent(desk: Desk, cell_id: str, on: date) -> DeciderFacts:
    """R-AUTH-ADMIT: the body that decides admissions, recognitions and probationary strike-offs for the cell."""
    return decider_facts(desk, desk.tree.competent_decider(cell_id, on))


def sponsor_of(sponsor: Person, candidate: Person, on: date) -> SponsorFacts:
    """A member sponsor as the log knows them: official or not, and the whole months both have been in the
    same cell since the later of their joining dates in the ledger (0 once the sponsor is in another cell)."""
    same_cell = sponsor.state.cell_id is not None and sponsor.state.cell_id == candidate.state.cell_id
    return SponsorFacts(
        sponsor_id=sponsor.person_id,
        kind=SponsorKind.MEMBER,
        is_official=is_official(sponsor),
        months_co_working_same_unit=months_between(max(sponsor.since, candidate.since), on) if same_cell else 0,
    )


def union_of(cell_id: str, kind: SponsorKind) -> SponsorFacts:
    """A Youth Union or trade-union resolution, named by the union's organisation at the cell's unit."""
    return SponsorFacts(sponsor_id=union_id(cell_id, kind), kind=kind)


def union_id(cell_id: str, kind: SponsorKind) -> str:
    prefix = "doan-tn" if kind is SponsorKind.YOUTH_UNION else "cong-doan"
    return f"{prefix}.{cell_id}"
