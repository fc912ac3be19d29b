"""A member's ordinary years (DOMAIN.md §4): transfers, discipline, strike-offs, exits, a new diploma.

At the start of each year every member draws what the year holds, at a random working day; the task checks
the member's state when it runs (a member who left in March is not transferred in June). Rates per member and
year are those of a quiet province: 1.5 % change unit, 0.4 % go away for a while, a quarter of a percent are
reprimanded, about one in a thousand is struck off for inactivity, a few are expelled or leave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Final

from domain.particulars import EducationLevel, Occupation
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import PersonFacts
from domain.person.stages import MEMBER_STAGES, Stage
from domain.person.values import TransferKind
from domain.rules.authority import Penalty
from domain.rules.readmission import ReadmitBar
from domain.rules.removal import StrikeOffGround
from services.seed.admission import at, cell_of, votes
from services.seed.agenda import Agenda
from services.seed.desk import Desk, Person
from services.seed.facts import cell_facts, competent, decider_facts, is_official
from services.seed.papers import body_abbreviation, numbered
from services.seed.timing import later

Event = Callable[[Desk, Agenda, Person, date], None]

UPGRADES: Final[dict[EducationLevel, EducationLevel]] = {
    EducationLevel.LOWER_SECONDARY: EducationLevel.UPPER_SECONDARY,
    EducationLevel.UPPER_SECONDARY: EducationLevel.VOCATIONAL,
    EducationLevel.VOCATIONAL: EducationLevel.COLLEGE,
    EducationLevel.COLLEGE: EducationLevel.UNIVERSITY,
    EducationLevel.UNIVERSITY: EducationLevel.MASTER,
    EducationLevel.MASTER: EducationLevel.DOCTORATE,
}


def plan_year(desk: Desk, agenda: Agenda, start: date, end: date, share: float = 1.0) -> None:
    """Draw each member's events for the period [start, end]; `share` scales the yearly rates."""
    span = (end - start).days
    for cell in desk.plan.cells:
        for person in desk.members(cell.unit_id):
            for rate, event in EVENTS:
                if desk.rng.random() < rate * share:
                    on = desk.calendar.next_working_day(start + timedelta(days=desk.rng.randint(0, span)))
                    agenda.at(on, _guarded(desk, agenda, person, event))


def _guarded(desk: Desk, agenda: Agenda, person: Person, event: Event) -> Callable[[date], None]:
    """The event only if the person is still a member, settled, and not in a scripted unit."""

    def run(on: date) -> None:
        m = person.state.membership
        if person.state.stage not in MEMBER_STAGES or m is None or m.pending_transfer or m.temporary_unit_id:
            return
        if m.pending_violation or m.strike_off_ground or desk.quiet(cell_of(person), on):
            return
        event(desk, agenda, person, on)

    return run


def official_transfer(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """R-TRANSFER: introduced within 60 working days of its cause (a few late), presented within 30."""
    target = _other_cell(desk, person, on)
    if target is None:
        return
    cause = on - timedelta(days=desk.rng.randint(90, 140) if desk.rng.random() < 0.05 else desk.rng.randint(3, 50))
    introduce = mc.IntroduceTransfer(**at(person, on), kind=TransferKind.OFFICIAL, to_unit_id=target, cause_on=cause)
    if desk.command(person, introduce):
        presented_on = later(desk, on, 50, 70) if desk.rng.random() < 0.06 else later(desk, on, 3, 35)
        agenda.at(presented_on, lambda day: _present(desk, person, target, day))


def temporary_transfer(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """R-TRANSFER: away for study or a secondment, still on the home roll but out of its votes."""
    target = _other_cell(desk, person, on)
    if target is None:
        return
    introduce = mc.IntroduceTransfer(**at(person, on), kind=TransferKind.TEMPORARY, to_unit_id=target, cause_on=on)
    if desk.command(person, introduce):
        agenda.at(later(desk, on, 3, 25), lambda day: _present(desk, person, target, day))
        home = cell_of(person)
        agenda.at(later(desk, on, 120, 540), lambda day: _back(desk, person, home, day))


def _present(desk: Desk, person: Person, target: str, on: date) -> None:
    m = person.state.membership
    if person.state.stage in MEMBER_STAGES and m is not None and m.pending_transfer is not None:
        official = m.pending_transfer.kind is TransferKind.OFFICIAL
        if desk.command(person, mc.PresentTransfer(**at(person, on, target))) and official:
            person.since = on


def _back(desk: Desk, person: Person, home: str, on: date) -> None:
    m = person.state.membership
    if person.state.stage in MEMBER_STAGES and m is not None and m.temporary_unit_id is not None:
        desk.command(person, mc.EndTemporaryTransfer(**at(person, on, home)))


def _other_cell(desk: Desk, person: Person, on: date) -> str | None:
    """A cell elsewhere in the province, never one still following its script."""
    for _ in range(10):
        target = desk.rng.choice(desk.plan.cells).unit_id
        if target != person.state.cell_id and not desk.quiet(target, on):
            return target
    return None


def discipline(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """R-AUTH-DISCIPLINE: a violation reported, then a reprimand or a warning by the cell."""
    if desk.command(person, mc.ReportViolation(**at(person, on), reason="Vi phạm quy định về sinh hoạt đảng")):
        agenda.at(later(desk, on, 20, 60), lambda day: _reprimand(desk, person, day))


def _reprimand(desk: Desk, person: Person, on: date) -> None:
    if person.state.membership is None or not person.state.membership.pending_violation:
        return
    cell = desk.tree.as_of(on).require(cell_of(person))
    penalty = Penalty.REPRIMAND if desk.rng.random() < 0.7 else Penalty.WARNING
    command = mc.DisciplineMember(
        **at(person, on),
        penalty=penalty,
        reason="Vi phạm quy định về sinh hoạt đảng",
        decision_ref=numbered(desk.rng, "QĐ", "CB", on, "thi hành kỷ luật"),
    )
    desk.command(person, command, PersonFacts(decider=decider_facts(desk, cell)))


def dismissed(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """A report examined and closed without a penalty."""
    if desk.command(person, mc.ReportViolation(**at(person, on), reason="Đơn phản ánh về việc chấp hành chính sách")):
        reason = "Kiểm tra không có vi phạm"
        agenda.at(later(desk, on, 20, 60), lambda day: _close(desk, person, reason, day))


def _close(desk: Desk, person: Person, reason: str, on: date) -> None:
    if person.state.membership is not None and person.state.membership.pending_violation:
        desk.command(person, mc.DismissViolation(**at(person, on), reason=reason))


def expulsion(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """R-AUTH-DISCIPLINE: expulsion by the upper committee; a third appeal within 30 days (R-EXPEL-APPEAL)."""
    if not is_official(person):
        return
    if desk.command(person, mc.ReportViolation(**at(person, on), reason="Vi phạm pháp luật, bị khởi tố")):
        agenda.at(later(desk, on, 30, 90), lambda day: _expel(desk, agenda, person, day))


def _expel(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    if person.state.stage is not Stage.OFFICIAL:
        return
    upper = desk.parent_of(desk.grassroots_of(cell_of(person), on).unit_id, on)
    bar = ReadmitBar.CORRUPTION_CONVICTION if desk.rng.random() < 0.4 else None
    command = mc.DisciplineMember(
        **at(person, on, upper.unit_id),
        penalty=Penalty.EXPULSION,
        reason="Vi phạm pháp luật, bị kết án",
        decision_ref=numbered(desk.rng, "QĐ", body_abbreviation(upper), on, "thi hành kỷ luật bằng hình thức khai trừ"),
        readmit_bar=bar,
    )
    if desk.command(person, command, PersonFacts(decider=decider_facts(desk, upper))) and desk.rng.random() < 0.35:
        agenda.at(later(desk, on, 3, 20), lambda day: _appeal(desk, agenda, person, day))


def _appeal(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    appeal = mc.AppealExpulsion(**at(person, on), appeal_ref=f"Đơn khiếu nại ngày {on:%d/%m/%Y}")
    if desk.command(person, appeal):
        agenda.at(later(desk, on, 30, 90), lambda day: _resolve(desk, person, day))


def _resolve(desk: Desk, person: Person, on: date) -> None:
    upheld = desk.rng.random() < 0.85
    ref = numbered(desk.rng, "QĐ", "TU", on, "giải quyết khiếu nại kỷ luật đảng")
    command = mc.ResolveExpulsionAppeal(**at(person, on, "unit-province"), upheld=upheld, decision_ref=ref)
    desk.command(person, command)


def strike_off(desk: Desk, agenda: Agenda, person: Person, on: date, ground: StrikeOffGround | None = None) -> None:
    """R-STRIKEOFF-GROUNDS: the cell proposes with two-thirds, the competent body strikes off a month later."""
    cell = cell_facts(desk, cell_of(person), on)
    if cell.denominator < 3:
        return
    yes, no = votes(desk, cell.denominator)
    inactive = ground is None
    command = mc.ProposeStrikeOff(
        **at(person, on),
        ground=ground or StrikeOffGround.INACTIVE_OR_NO_DUES,
        yes=yes,
        no=no,
        resolution_ref=numbered(desk.rng, "NQ", "CB", on, "đề nghị xóa tên đảng viên"),
        evidence_months=desk.rng.randint(3, 8) if inactive else None,
    )
    if desk.command(person, command, PersonFacts(cell=cell)):
        agenda.at(later(desk, on, 15, 45), lambda day: _strike(desk, person, day))


def _strike(desk: Desk, person: Person, on: date) -> None:
    """R-AUTH-STRIKEOFF for an official member (the grassroots body), R-AUTH-ADMIT for a probationary one."""
    if person.state.membership is None or person.state.membership.strike_off_ground is None:
        return
    if person.state.stage is Stage.PROBATIONARY:
        body = competent(desk, cell_of(person), on)
    else:
        body = decider_facts(desk, desk.grassroots_of(cell_of(person), on))
    unit = desk.tree.as_of(on).require(body.unit_id)
    ref = numbered(desk.rng, "QĐ", body_abbreviation(unit), on, "xóa tên đảng viên")
    in_favour = body.committee_size if body.admission_delegated else None
    command = mc.DecideStrikeOff(**at(person, on, body.unit_id), decision_ref=ref, votes_in_favour=in_favour)
    desk.command(person, command, PersonFacts(decider=body))


def inactive(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    strike_off(desk, agenda, person, on)


def voluntary_exit(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """R-EXIT-VOLUNTARY: granted by the grassroots body; family hardship keeps readmission open."""
    body = desk.grassroots_of(cell_of(person), on)
    hardship = desk.rng.random() < 0.4
    command = mc.GrantVoluntaryExit(
        **at(person, on, body.unit_id),
        reason="Hoàn cảnh gia đình khó khăn" if hardship else "Tự nguyện xin ra khỏi Đảng",
        decision_ref=numbered(desk.rng, "QĐ", body_abbreviation(body), on, "cho ra khỏi Đảng"),
        family_hardship=hardship,
    )
    desk.command(person, command)


def new_diploma(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """A member of working age completes a higher degree; the statistics by education follow."""
    particulars = person.state.particulars
    if particulars is None or particulars.occupation is Occupation.RETIRED or particulars.education not in UPGRADES:
        return
    updated = replace(particulars, education=UPGRADES[particulars.education])
    desk.command(person, c.UpdateParticulars(**at(person, on), particulars=updated))


def troubled(desk: Desk, agenda: Agenda, person: Person, on: date) -> None:
    """A member who will be rated NotCompleted this year and next: educated, then proposed for removal."""
    if person.troubled_from is None:
        person.troubled_from = on.year


EVENTS: Final[tuple[tuple[float, Event], ...]] = (
    (0.015, official_transfer),
    (0.004, temporary_transfer),
    (0.0025, discipline),
    (0.001, dismissed),
    (0.0002, expulsion),
    (0.0008, inactive),
    (0.0003, voluntary_exit),
    (0.008, new_diploma),
    (0.0015, troubled),
)
