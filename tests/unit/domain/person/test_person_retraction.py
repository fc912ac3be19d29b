"""R-RETRACT: an entry recorded by mistake is retracted; the file is as if it had never been recorded."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import WorkingCalendar
from domain.errors import RuleViolation
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import commands as c
from domain.person import events as ev
from domain.person.facts import CellFacts, EntryFacts, MemberFacts, PersonFacts, SponsorFacts
from domain.person.handlers import handle
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.person.state import evolve, initial_state
from domain.person.values import Relation, SponsorLetter, VerificationSubject
from domain.records import replaced
from domain.rules.retraction import RETRACT_DEPTH, RETRACT_WITHIN_DAYS
from domain.rules.sponsors import SponsorKind
from tests.support.person_ids import person_id_of

CALENDAR = WorkingCalendar()
CELL = "cell-teachers"
PERSON = person_id_of("001090123456")
TODAY = date(2021, 6, 1)


class At(TypedDict):
    person_id: str
    occurred_on: date
    acting_unit_id: str


def _at(on: date) -> At:
    return At(person_id=PERSON, occurred_on=on, acting_unit_id=CELL)


def _steps() -> list[tuple[c.PersonCommand, PersonFacts]]:
    """The pipeline from nomination to the cell's vote, each command with the facts it needs."""
    particulars = Particulars(
        full_name="Nguyễn Văn An",
        sex=Sex.MALE,
        date_of_birth=date(1990, 5, 1),
        ethnicity=Ethnicity.KINH,
        religion=Religion.NONE,
        education=EducationLevel.UNIVERSITY,
        occupation=Occupation.PUBLIC_EMPLOYEE,
    )
    sponsors = tuple(
        SponsorFacts(
            sponsor_id=f"member-{n}", kind=SponsorKind.MEMBER, is_official=True, months_co_working_same_unit=24
        )
        for n in (1, 2)
    )
    letters = tuple(SponsorLetter(sponsor_id=s.sponsor_id, kind=s.kind, document_ref="GT") for s in sponsors)
    subjects = (VerificationSubject(relation=Relation.SELF, full_name="Nguyễn Văn An"),)
    roll = CellFacts(cell_id=CELL, official_member_ids=frozenset(f"member-{n}" for n in range(1, 8)))
    none = PersonFacts()
    return [
        (
            c.NominateCandidate(
                **_at(date(2021, 3, 1)),
                citizen_id="001090123456",
                particulars=particulars,
                helper_id="member-1",
                resolution_ref="NQ 03",
            ),
            PersonFacts(member=MemberFacts(person_id="member-1", is_official=True)),
        ),
        (
            c.RecordTrainingCertificate(**_at(date(2021, 3, 20)), certificate_ref="GCN", issued_on=date(2021, 3, 19)),
            none,
        ),
        (c.SubmitApplication(**_at(date(2021, 3, 25)), application_ref="Đơn"), none),
        (c.SubmitBackgroundForm(**_at(date(2021, 3, 26)), form_ref="LL"), none),
        (c.OpenVerification(**_at(date(2021, 3, 29)), subjects=subjects), none),
        (
            c.RecordVerificationResult(
                **_at(date(2021, 4, 20)), relation=Relation.SELF, full_name="Nguyễn Văn An", result_ref="KQ"
            ),
            none,
        ),
        (c.CertifyVerification(**_at(date(2021, 4, 22))), none),
        (c.RecordSponsors(**_at(date(2021, 5, 10)), sponsors=letters), PersonFacts(sponsors=sponsors)),
        (
            c.ApproveAtCell(**_at(date(2021, 5, 20)), yes=6, no=1, resolution_ref="NQ 05"),
            PersonFacts(cell=roll, sponsors=sponsors),
        ),
    ]


STEPS = _steps()


def _recorded(n: int) -> PersonState:
    state = initial_state(PERSON)
    for command, facts in STEPS[:n]:
        state = handle(state, command, CALENDAR, facts)[0]
    return state


def _retract(state: PersonState, version: int, on: date = TODAY, **entry: object) -> PersonState:
    fact = EntryFacts(version=version, event_type=str(entry.pop("event_type", "X")), recorded_on=TODAY, **entry)  # type: ignore[arg-type]
    command = c.RetractEntry(**_at(on), entry_version=version, reason="ghi nhầm ngày")
    return handle(state, command, CALENDAR, PersonFacts(entry=fact))[0]


def _same_file(a: PersonState, b: PersonState) -> None:
    assert replaced(a, version=0) == replaced(b, version=0)
    assert a.last_step_on == b.last_step_on
    assert a.stage_since == b.stage_since


def test_retracting_the_latest_entry_gives_back_the_file_before_it() -> None:
    before, after = _recorded(8), _recorded(9)
    assert after.stage is Stage.CELL_APPROVED
    retracted = _retract(after, after.version)
    assert retracted.stage is Stage.SPONSORED
    assert retracted.version == after.version + 1
    _same_file(retracted, before)


def test_a_step_dated_wrongly_is_recorded_again_after_its_retraction() -> None:
    """The issue's case: a step dated too late blocks the right one (R-STAGE-ORDER) until it is retracted."""
    sponsored = _recorded(8)
    _, facts = STEPS[8]
    wrong = c.ApproveAtCell(**_at(date(2021, 5, 28)), yes=6, no=1, resolution_ref="NQ 05")
    state = handle(sponsored, wrong, CALENDAR, facts)[0]
    state = _retract(state, state.version)
    right = c.ApproveAtCell(**_at(date(2021, 5, 20)), yes=6, no=1, resolution_ref="NQ 05")
    state = handle(state, right, CALENDAR, facts)[0]
    assert state.stage is Stage.CELL_APPROVED
    assert state.file is not None and state.file.cell_resolved_on == date(2021, 5, 20)


def test_an_entry_with_later_entries_standing_is_refused() -> None:
    state = _recorded(9)
    with pytest.raises(RuleViolation) as refused:
        _retract(state, state.version - 1)
    assert refused.value.rule_id == "R-RETRACT"
    assert "phải thu hồi các bước sau trước" in refused.value.message_vi


def test_later_entries_are_retracted_newest_first_then_the_earlier_one() -> None:
    state = _recorded(9)
    state = _retract(state, 9)
    state = _retract(state, 8)
    _same_file(state, _recorded(7))


def test_a_retraction_is_not_retracted() -> None:
    state = _retract(_recorded(9), 9)
    with pytest.raises(RuleViolation) as refused:
        _retract(state, state.version, event_type="EntryRetracted")
    assert "không thu hồi một lần thu hồi" in refused.value.message_vi


def test_an_entry_already_retracted_is_refused() -> None:
    state = _retract(_recorded(9), 9)
    with pytest.raises(RuleViolation, match="already been retracted"):
        _retract(state, 9, retracted=True)


def test_the_nomination_that_opened_the_file_is_not_retracted() -> None:
    state = _recorded(1)
    with pytest.raises(RuleViolation) as refused:
        _retract(state, 1, event_type="CandidateNominated")
    assert refused.value.rule_id == "R-RETRACT"


@pytest.mark.parametrize(
    ("days", "allowed"), [(-1, False), (0, True), (RETRACT_WITHIN_DAYS, True), (RETRACT_WITHIN_DAYS + 1, False)]
)
def test_a_retraction_is_dated_within_the_window_after_the_entry_was_recorded(days: int, allowed: bool) -> None:
    state = _recorded(9)
    on = TODAY + timedelta(days=days)
    if allowed:
        assert _retract(state, 9, on=on).stage is Stage.SPONSORED
    else:
        with pytest.raises(RuleViolation, match="R-RETRACT"):
            _retract(state, 9, on=on)


def test_only_the_last_entries_up_to_the_depth_can_be_retracted() -> None:
    state = _recorded(9)
    for version in range(9, 9 - RETRACT_DEPTH, -1):
        state = _retract(state, version)
    with pytest.raises(RuleViolation, match="no longer retractable"):
        _retract(state, 9 - RETRACT_DEPTH)


def test_a_deadline_breach_recorded_with_its_step_goes_with_it() -> None:
    state = _recorded(9)
    late = ev.DeadlineBreached(rule_set="qd24-2021", rule_id="R-X", due_on=date(2021, 5, 1), late_by_working_days=3)
    with_breach = evolve(state, late, date(2021, 5, 20))
    assert with_breach.undo[-1].version == 9 and len(with_breach.undo[-1].events) == 2
    restored = evolve(
        with_breach,
        ev.EntryRetracted(rule_set="qd24-2021", entry_version=9, entry_events=2, entry_event_type="X", reason="r"),
        TODAY,
    )
    _same_file(restored, _recorded(8))


def test_a_reorganisation_move_ends_the_retraction_of_earlier_entries() -> None:
    state = _recorded(9)
    moved = evolve(
        state,
        ev.MovedByReorganisation(rule_set="qd24-2021", from_cell_id=CELL, to_cell_id="cell-new", reference="QĐ"),
        date(2021, 5, 25),
    )
    with pytest.raises(RuleViolation, match="no longer retractable"):
        _retract(moved, 9)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_retracting_the_last_k_entries_newest_first_is_as_if_never_recorded(data: st.DataObject) -> None:
    """Property: record n steps, retract the last k in reverse order: the file of the first n − k steps."""
    n = data.draw(st.integers(min_value=2, max_value=len(STEPS)), label="n")
    k = data.draw(st.integers(min_value=1, max_value=min(n - 1, RETRACT_DEPTH)), label="k")
    state = _recorded(n)
    for version in range(n, n - k, -1):
        state = _retract(state, version)
    _same_file(state, _recorded(n - k))
    standing = [e.version for e in _recorded(n - k).undo]
    assert [e.version for e in state.undo] == standing[len(standing) - len(state.undo) :]
