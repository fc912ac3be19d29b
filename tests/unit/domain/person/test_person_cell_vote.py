"""The cell's vote on a candidate (DOMAIN.md §2.6): every rule it requires, at the boundary."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand, RuleViolation
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import commands as c
from domain.person.events import CellApproved
from domain.person.facts import CellFacts, ConsentFacts, PersonFacts, SponsorFacts
from domain.person.handlers import decide, handle
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.rules.eligibility import EducationExemption

VOTE_DAY = date(2021, 5, 20)


def at(state: PersonState, on: date, unit: str | None = None) -> dict[str, Any]:
    return {"person_id": state.person_id, "occurred_on": on, "acting_unit_id": unit or state.cell_id}


def vote(state: PersonState, yes: int, on: date = VOTE_DAY, no: int = 0) -> c.ApproveAtCell:
    return c.ApproveAtCell(**at(state, on), yes=yes, no=no, resolution_ref="NQ 05-NQ/CB")


def facts(cell: CellFacts, sponsors: tuple[SponsorFacts, ...], **more: Any) -> PersonFacts:
    return PersonFacts(cell=cell, sponsors=sponsors, **more)


def born(on: date, citizen_id: str) -> Particulars:
    return Particulars(
        full_name="Lò Thị Mai",
        sex=Sex.FEMALE if citizen_id[3] in "13" else Sex.MALE,
        date_of_birth=on,
        ethnicity=Ethnicity.THAI,
        religion=Religion.NONE,
        education=EducationLevel.UPPER_SECONDARY,
        occupation=Occupation.STUDENT,
    )


def test_r_vote_twothirds_cell_approves_with_5_of_7(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    state, events = handle(sponsored, vote(sponsored, 5, no=2), calendar, facts(cell, sponsors))
    assert state.stage is Stage.CELL_APPROVED
    approved = events[0]
    assert isinstance(approved, CellApproved) and (approved.yes, approved.denominator) == (5, 7)
    assert approved.decision_deadline.due_on == calendar.add_working_days(VOTE_DAY, 60)


def test_r_vote_twothirds_cell_refuses_4_of_7_and_records_nothing(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    with pytest.raises(RuleViolation, match=r"^R-VOTE-TWOTHIRDS:"):
        decide(sponsored, vote(sponsored, 4, no=3), calendar, facts(cell, sponsors))


def test_r_vote_twothirds_refusal_says_nothing_is_recorded_and_what_the_cell_may_do_instead(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    """Unlike a recognition round (recorded, inconclusive), a vote short of two-thirds is no resolution to admit."""
    with pytest.raises(RuleViolation) as refused:
        decide(sponsored, vote(sponsored, 4, no=3), calendar, facts(cell, sponsors))
    assert refused.value.message_vi.startswith("chỉ có 4/7 phiếu tán thành; cần ít nhất 5 phiếu — ")
    assert "không ghi vào sổ" in refused.value.message_vi and "“không kết nạp”" in refused.value.message_vi


def test_r_vote_twothirds_denominator_leaves_out_temporary_transfers_and_exempt_absentees(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    away = replace(
        cell, temporarily_transferred_out_ids=frozenset({"member-6"}), exempt_absent_ids=frozenset({"member-7"})
    )
    assert away.denominator == 5
    with pytest.raises(RuleViolation, match=r"^R-VOTE-TWOTHIRDS:"):
        decide(sponsored, vote(sponsored, 3), calendar, facts(away, sponsors))
    assert handle(sponsored, vote(sponsored, 4), calendar, facts(away, sponsors))[0].stage is Stage.CELL_APPROVED


def test_a_vote_with_more_ballots_than_voters_is_malformed(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    with pytest.raises(InvalidCommand, match=r"^yes:"):
        decide(sponsored, vote(sponsored, 6, no=2), calendar, facts(cell, sponsors))


def test_r_cell_quorum_accepts_3_official_members_refuses_2(
    sponsored: PersonState, calendar: WorkingCalendar, sponsors: tuple[SponsorFacts, ...]
) -> None:
    three = CellFacts(cell_id="cell-teachers", official_member_ids=frozenset({"member-1", "member-2", "member-3"}))
    assert handle(sponsored, vote(sponsored, 2), calendar, facts(three, sponsors))[0].stage is Stage.CELL_APPROVED
    two = CellFacts(cell_id="cell-teachers", official_member_ids=frozenset({"member-1", "member-2"}))
    with pytest.raises(RuleViolation, match=r"^R-CELL-QUORUM:"):
        decide(sponsored, vote(sponsored, 2), calendar, facts(two, sponsors))


def test_r_auth_cell_refuses_a_vote_by_another_cell(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    foreign = c.ApproveAtCell(**at(sponsored, VOTE_DAY, "cell-admin"), yes=7, no=0, resolution_ref="NQ")
    with pytest.raises(RuleViolation, match=r"^R-AUTH-CELL:"):
        decide(sponsored, foreign, calendar, facts(cell, sponsors))


def test_r_train_valid_certificate_exactly_60_months_old_at_the_vote_is_accepted_a_day_more_refused(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    def with_certificate(issued_on: date) -> PersonState:
        cmd = c.RecordTrainingCertificate(
            **at(sponsored, date(2021, 5, 11)), certificate_ref="GCN cũ", issued_on=issued_on
        )
        return handle(sponsored, cmd, calendar)[0]

    exact = with_certificate(date(2016, 5, 20))
    assert handle(exact, vote(exact, 7), calendar, facts(cell, sponsors))[0].stage is Stage.CELL_APPROVED
    expired = with_certificate(date(2016, 5, 19))
    with pytest.raises(RuleViolation, match=r"^R-TRAIN-VALID:"):
        decide(expired, vote(expired, 7), calendar, facts(cell, sponsors))


def test_r_papers_stale_letters_12_months_old_accepted_a_day_more_refused(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    assert handle(sponsored, vote(sponsored, 7, date(2022, 5, 10)), calendar, facts(cell, sponsors))[0].file
    with pytest.raises(RuleViolation, match=r"^R-PAPERS-STALE:"):
        decide(sponsored, vote(sponsored, 7, date(2022, 5, 11)), calendar, facts(cell, sponsors))


def test_r_sponsors_rechecked_at_the_vote_a_sponsor_no_longer_official(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    since_expelled = (sponsors[0], replace(sponsors[1], is_official=False))
    with pytest.raises(RuleViolation, match=r"^R-SPONSORS:"):
        decide(sponsored, vote(sponsored, 7), calendar, facts(cell, since_expelled))


def test_r_elig_edu_primary_refused_unless_the_area_is_exempt(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    assert sponsored.particulars is not None
    primary = replace(sponsored.particulars, education=EducationLevel.PRIMARY)
    state = handle(sponsored, c.UpdateParticulars(**at(sponsored, date(2021, 5, 11)), particulars=primary), calendar)[0]
    with pytest.raises(RuleViolation, match=r"^R-ELIG-EDU:"):
        decide(state, vote(state, 7), calendar, facts(cell, sponsors))
    highland = replace(cell, education_exemption=EducationExemption.MOUNTAIN)
    assert handle(state, vote(state, 7), calendar, facts(highland, sponsors))[0].stage is Stage.CELL_APPROVED


@pytest.mark.parametrize(
    ("citizen_id", "particulars", "accepted"),
    [
        ("001303123456", born(date(2003, 5, 20), "001303123456"), True),
        ("001303123456", born(date(2003, 5, 21), "001303123456"), False),
    ],
    ids=["18_years_0_months", "17_years_11_months"],
)
def test_r_elig_age_at_the_vote_date(
    sponsored: PersonState,
    calendar: WorkingCalendar,
    cell: CellFacts,
    sponsors: tuple[SponsorFacts, ...],
    accepted: bool,
) -> None:
    if accepted:
        assert handle(sponsored, vote(sponsored, 7), calendar, facts(cell, sponsors))[0].stage is Stage.CELL_APPROVED
    else:
        with pytest.raises(RuleViolation, match=r"^R-ELIG-AGE:"):
            decide(sponsored, vote(sponsored, 7), calendar, facts(cell, sponsors))


@pytest.mark.parametrize(
    ("citizen_id", "particulars"),
    [("001061123456", replace(born(date(1961, 4, 19), "001061123456"), full_name="Hà Văn Tư"))],
)
def test_r_auth_over60_refused_without_then_accepted_with_prior_provincial_consent(
    sponsored: PersonState, calendar: WorkingCalendar, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-OVER60:"):
        decide(sponsored, vote(sponsored, 7), calendar, facts(cell, sponsors))
    consent = ConsentFacts(document_ref="CV 88-CV/TU", given_on=date(2021, 5, 3))
    consented = facts(cell, sponsors, provincial_consent=consent)
    assert handle(sponsored, vote(sponsored, 7), calendar, consented)[0].stage is Stage.CELL_APPROVED
