"""A member's life (DOMAIN.md §4): transfers, discipline and appeal, strike-off, voluntary exit, annulment."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import RuleViolation
from domain.person import member_commands as mc
from domain.person.events import DeadlineBreached
from domain.person.facts import CellFacts, DeciderFacts, PersonFacts
from domain.person.handlers import decide, handle
from domain.person.member_events import MemberTransferIntroduced
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.person.values import TransferKind
from domain.rules.authority import Penalty
from domain.rules.readmission import ReadmitBar
from domain.rules.removal import StrikeOffGround
from domain.units.kinds import UnitKind


def at(state: PersonState, on: date, unit: str | None = None) -> dict[str, Any]:
    return {"person_id": state.person_id, "occurred_on": on, "acting_unit_id": unit or state.cell_id}


def introduce(
    state: PersonState, on: date, cause_on: date, kind: TransferKind = TransferKind.OFFICIAL
) -> mc.IntroduceTransfer:
    return mc.IntroduceTransfer(**at(state, on), kind=kind, to_unit_id="cell-admin", cause_on=cause_on)


def test_r_transfer_introduced_on_the_60th_working_day_of_its_cause_is_on_time_the_61st_late(
    official: PersonState, calendar: WorkingCalendar
) -> None:
    cause = date(2022, 9, 1)
    on_time = calendar.add_working_days(cause, 60)
    events = decide(official, introduce(official, on_time, cause), calendar)
    assert [type(e) for e in events] == [MemberTransferIntroduced]
    late = decide(official, introduce(official, calendar.add_working_days(cause, 61), cause), calendar)
    assert late[1] == DeadlineBreached(
        rule_set="qd24-2021", rule_id="R-TRANSFER", due_on=on_time, late_by_working_days=1
    )


def test_r_transfer_presented_on_the_30th_working_day_moves_the_member_the_31st_is_late(
    official: PersonState, calendar: WorkingCalendar
) -> None:
    introduced_on = date(2022, 9, 5)
    state = handle(official, introduce(official, introduced_on, date(2022, 9, 1)), calendar)[0]
    present = mc.PresentTransfer(**at(state, calendar.add_working_days(introduced_on, 30), "cell-admin"))
    moved, events = handle(state, present, calendar)
    assert len(events) == 1 and moved.cell_id == "cell-admin" and moved.stage is Stage.OFFICIAL
    late = decide(state, replace(present, occurred_on=calendar.add_working_days(introduced_on, 31)), calendar)
    assert isinstance(late[1], DeadlineBreached) and late[1].rule_id == "R-TRANSFER"


def test_r_transfer_only_the_receiving_unit_records_the_presentation(
    official: PersonState, calendar: WorkingCalendar
) -> None:
    state = handle(official, introduce(official, date(2022, 9, 5), date(2022, 9, 1)), calendar)[0]
    with pytest.raises(RuleViolation, match=r"^R-AUTH-CELL:"):
        decide(state, mc.PresentTransfer(**at(state, date(2022, 9, 6), "cell-teachers")), calendar)


def test_r_transfer_temporary_keeps_the_home_cell_and_ends(official: PersonState, calendar: WorkingCalendar) -> None:
    state = handle(official, introduce(official, date(2022, 9, 5), date(2022, 9, 1), TransferKind.TEMPORARY), calendar)[
        0
    ]
    state = handle(state, mc.PresentTransfer(**at(state, date(2022, 9, 6), "cell-admin")), calendar)[0]
    assert state.cell_id == "cell-teachers" and state.membership is not None
    assert state.membership.temporary_unit_id == "cell-admin"
    state = handle(state, mc.EndTemporaryTransfer(**at(state, date(2023, 3, 1))), calendar)[0]
    assert state.membership is not None and state.membership.temporary_unit_id is None


def test_r_transfer_probation_continues_in_the_new_cell(probationary: PersonState, calendar: WorkingCalendar) -> None:
    state = handle(probationary, introduce(probationary, date(2021, 9, 1), date(2021, 8, 25)), calendar)[0]
    state = handle(state, mc.PresentTransfer(**at(state, date(2021, 9, 8), "cell-admin")), calendar)[0]
    assert state.stage is Stage.PROBATIONARY and state.cell_id == "cell-admin"
    assert probationary.membership is not None
    assert state.membership == probationary.membership


def expel(state: PersonState, body: DeciderFacts, on: date, bar: ReadmitBar | None = None) -> mc.DisciplineMember:
    return mc.DisciplineMember(
        **at(state, on, body.unit_id),
        penalty=Penalty.EXPULSION,
        reason="Vi phạm nghiêm trọng",
        decision_ref="QĐ",
        readmit_bar=bar,
    )


def test_r_auth_discipline_a_cell_warns_but_cannot_expel(official: PersonState, calendar: WorkingCalendar) -> None:
    cell_body = DeciderFacts(unit_id="cell-teachers", kind=UnitKind.CELL)
    warn = mc.DisciplineMember(
        **at(official, date(2022, 9, 1)), penalty=Penalty.WARNING, reason="Vi phạm", decision_ref="QĐ"
    )
    assert handle(official, warn, calendar, PersonFacts(decider=cell_body))[0].stage is Stage.OFFICIAL
    with pytest.raises(RuleViolation, match=r"^R-AUTH-DISCIPLINE:"):
        decide(official, expel(official, cell_body, date(2022, 9, 1)), calendar, PersonFacts(decider=cell_body))


def test_r_expel_appeal_on_the_30th_day_is_heard_and_may_restore_the_membership(
    official: PersonState, calendar: WorkingCalendar, committee: DeciderFacts
) -> None:
    delegated = replace(committee, expulsion_delegated=True)
    state = handle(official, expel(official, delegated, date(2022, 9, 1)), calendar, PersonFacts(decider=delegated))[0]
    assert (state.stage, state.membership) == (Stage.EXPELLED, None)
    with pytest.raises(RuleViolation, match=r"^R-EXPEL-APPEAL:"):
        decide(state, mc.AppealExpulsion(**at(state, date(2022, 10, 2)), appeal_ref="Đơn"), calendar)
    state = handle(state, mc.AppealExpulsion(**at(state, date(2022, 10, 1)), appeal_ref="Đơn"), calendar)[0]
    overturn = mc.ResolveExpulsionAppeal(
        **at(state, date(2022, 11, 1), "bloc-committee"), upheld=False, decision_ref="QĐ"
    )
    state = handle(state, overturn, calendar)[0]
    assert official.membership is not None and state.stage is Stage.OFFICIAL
    assert state.membership == official.membership
    assert state.departures == ()


def test_r_strikeoff_grounds_2_months_inactive_refused_3_accepted(
    official: PersonState, calendar: WorkingCalendar, cell: CellFacts, committee: DeciderFacts
) -> None:
    def propose(months: int) -> mc.ProposeStrikeOff:
        return mc.ProposeStrikeOff(
            **at(official, date(2022, 12, 1)),
            ground=StrikeOffGround.INACTIVE_OR_NO_DUES,
            yes=6,
            no=0,
            resolution_ref="NQ",
            evidence_months=months,
        )

    with pytest.raises(RuleViolation, match=r"^R-STRIKEOFF-GROUNDS:"):
        decide(official, propose(2), calendar, PersonFacts(cell=cell))
    state = handle(official, propose(3), calendar, PersonFacts(cell=cell))[0]
    by_cell = mc.DecideStrikeOff(**at(state, date(2022, 12, 15)), decision_ref="QĐ")
    with pytest.raises(RuleViolation, match=r"^R-AUTH-STRIKEOFF:"):
        decide(state, by_cell, calendar, PersonFacts(decider=DeciderFacts(unit_id="cell-teachers", kind=UnitKind.CELL)))
    by_committee = mc.DecideStrikeOff(**at(state, date(2022, 12, 15), committee.unit_id), decision_ref="QĐ")
    state = handle(state, by_committee, calendar, PersonFacts(decider=committee))[0]
    assert state.stage is Stage.STRUCK_OFF and state.departures[-1].readmit_bar is ReadmitBar.ABANDONED_ACTIVITY


def test_r_vote_twothirds_a_strike_off_proposal_needs_two_thirds_of_the_cell(
    official: PersonState, calendar: WorkingCalendar, cell: CellFacts
) -> None:
    propose = mc.ProposeStrikeOff(
        **at(official, date(2022, 12, 1)),
        ground=StrikeOffGround.CARD_RETURNED_OR_DESTROYED,
        yes=4,
        no=3,
        resolution_ref="NQ",
    )
    with pytest.raises(RuleViolation, match=r"^R-VOTE-TWOTHIRDS:"):
        decide(official, propose, calendar, PersonFacts(cell=cell))


def test_r_exit_voluntary_refused_while_a_violation_is_pending(
    official: PersonState, calendar: WorkingCalendar
) -> None:
    state = handle(official, mc.ReportViolation(**at(official, date(2022, 9, 1)), reason="Đơn tố cáo"), calendar)[0]
    leave = mc.GrantVoluntaryExit(
        **at(state, date(2022, 9, 10), "school-committee"), reason="Nguyện vọng", decision_ref="QĐ"
    )
    with pytest.raises(RuleViolation, match=r"^R-EXIT-VOLUNTARY:"):
        decide(state, leave, calendar)
    state = handle(state, mc.DismissViolation(**at(state, date(2022, 9, 5)), reason="Không có căn cứ"), calendar)[0]
    state = handle(state, leave, calendar)[0]
    assert state.stage is Stage.EXITED and state.departures[-1].readmit_bar is ReadmitBar.VOLUNTARY_EXIT


def test_r_auth_admit_an_admission_is_annulled_by_the_competent_body_only(
    official: PersonState, calendar: WorkingCalendar, committee: DeciderFacts, upper: DeciderFacts
) -> None:
    def annul(body: DeciderFacts) -> mc.AnnulAdmission:
        return mc.AnnulAdmission(
            **at(official, date(2022, 10, 1), body.unit_id), reason="Khai man lý lịch", decision_ref="QĐ"
        )

    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        decide(official, annul(committee), calendar, PersonFacts(decider=committee))
    state = handle(official, annul(upper), calendar, PersonFacts(decider=upper))[0]
    assert (state.stage, state.membership, state.file) == (Stage.ANNULLED, None, None)
