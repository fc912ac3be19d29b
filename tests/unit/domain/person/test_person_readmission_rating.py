"""Readmission in the same stream (R-READMIT), yearly ratings by rule set (R-RATING), screening (R-SCREENING)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand, RuleViolation
from domain.particulars import Particulars
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import ConsentFacts, DeciderFacts, MemberFacts, PersonFacts, RatingFacts
from domain.person.handlers import decide, handle
from domain.person.member_events import MemberRated
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.rules.ratings import Grade
from domain.rules.removal import ScreeningOutcome

LEFT_ON = date(2022, 9, 1)
CONSENT = ConsentFacts(document_ref="CV 15-CV/TU", given_on=date(2025, 8, 1))
MENTOR = PersonFacts(member=MemberFacts(person_id="member-2", is_official=True))
RATED = PersonFacts(rating=RatingFacts(rated_good=10, rated_excellent=1))


def at(state: PersonState, on: date, unit: str | None = None) -> dict[str, Any]:
    return {"person_id": state.person_id, "occurred_on": on, "acting_unit_id": unit or state.cell_id}


def leave(state: PersonState, calendar: WorkingCalendar, *, hardship: bool) -> PersonState:
    exit_ = mc.GrantVoluntaryExit(
        **at(state, LEFT_ON, "school-committee"),
        reason="Hoàn cảnh gia đình",
        decision_ref="QĐ",
        family_hardship=hardship,
    )
    return handle(state, exit_, calendar)[0]


def test_r_readmit_refused_for_a_barred_voluntary_exit(
    official: PersonState, calendar: WorkingCalendar, citizen_id: str, particulars: Particulars, helper: PersonFacts
) -> None:
    state = leave(official, calendar, hardship=False)
    again = c.NominateCandidate(
        **at(state, date(2026, 1, 5)),
        citizen_id=citizen_id,
        particulars=particulars,
        helper_id="member-1",
        resolution_ref="NQ",
    )
    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        decide(state, again, calendar, helper)


def test_r_readmit_once_only_after_36_months_with_consent_and_probation_again(
    official: PersonState,
    calendar: WorkingCalendar,
    upper: DeciderFacts,
    walk_to_committee: Callable[[PersonState, date], PersonState],
) -> None:
    state = walk_to_committee(leave(official, calendar, hardship=True), date(2025, 5, 20))
    assert state.stage is Stage.COMMITTEE_APPROVED and state.file is not None and state.file.readmission

    def admit(on: date) -> c.DecideAdmission:
        return c.DecideAdmission(**at(state, on, upper.unit_id), decision_ref="QĐ kết nạp lại")

    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        decide(state, admit(date(2025, 8, 29)), calendar, PersonFacts(decider=upper, provincial_consent=CONSENT))
    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        decide(state, admit(date(2025, 9, 1)), calendar, PersonFacts(decider=upper))
    state = handle(state, admit(date(2025, 9, 1)), calendar, PersonFacts(decider=upper, provincial_consent=CONSENT))[0]
    assert (state.stage, state.readmissions) == (Stage.ADMITTED, 1)
    state = handle(
        state, c.HoldCeremony(**at(state, date(2025, 9, 15)), mentor_id="member-2", ceremony_ref="BB"), calendar, MENTOR
    )[0]
    assert state.stage is Stage.PROBATIONARY and state.membership is not None
    assert state.membership.probation_ends_on == date(2026, 9, 15)
    assert [d.left_on for d in state.departures] == [LEFT_ON]


def test_r_readmit_a_second_readmission_is_refused(
    official: PersonState,
    calendar: WorkingCalendar,
    upper: DeciderFacts,
    citizen_id: str,
    particulars: Particulars,
    helper: PersonFacts,
    walk_to_committee: Callable[[PersonState, date], PersonState],
) -> None:
    state = walk_to_committee(leave(official, calendar, hardship=True), date(2025, 5, 20))
    admit = c.DecideAdmission(**at(state, date(2025, 9, 1), upper.unit_id), decision_ref="QĐ")
    state = handle(state, admit, calendar, PersonFacts(decider=upper, provincial_consent=CONSENT))[0]
    state = handle(
        state, c.HoldCeremony(**at(state, date(2025, 9, 15)), mentor_id="member-2", ceremony_ref="BB"), calendar, MENTOR
    )[0]
    exit_again = mc.GrantVoluntaryExit(
        **at(state, date(2026, 1, 5), "school-committee"), reason="Gia đình", decision_ref="QĐ", family_hardship=True
    )
    state = handle(state, exit_again, calendar)[0]
    third = c.NominateCandidate(
        **at(state, date(2030, 1, 5)),
        citizen_id=citizen_id,
        particulars=particulars,
        helper_id="member-1",
        resolution_ref="NQ",
    )
    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        decide(state, third, calendar, helper)


def rate(
    state: PersonState, on: date, year: int, grade: Grade | None = None, score: int | None = None
) -> mc.RateMember:
    return mc.RateMember(**at(state, on), year=year, grade=grade, score=score)


def test_r_rating_by_grade_on_2025_06_30_by_score_from_2025_07_01(
    official: PersonState, calendar: WorkingCalendar
) -> None:
    state = handle(official, rate(official, date(2025, 6, 30), 2024, grade=Grade.GOOD), calendar, RATED)[0]
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        decide(official, rate(official, date(2025, 6, 30), 2024, score=85), calendar, RATED)
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        decide(state, rate(state, date(2025, 12, 20), 2025, grade=Grade.GOOD), calendar, RATED)
    events = decide(state, rate(state, date(2025, 12, 20), 2025, score=90), calendar, RATED)
    assert events[0].rule_set == "qd294-2025"
    state = handle(state, rate(state, date(2025, 12, 20), 2025, score=90), calendar, RATED)[0]
    assert [(r.year, r.grade) for r in state.ratings] == [(2024, Grade.GOOD), (2025, Grade.EXCELLENT)]


def test_r_rating_excellent_quota_and_one_rating_a_year(official: PersonState, calendar: WorkingCalendar) -> None:
    full_quota = PersonFacts(rating=RatingFacts(rated_good=10, rated_excellent=2))
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        decide(official, rate(official, date(2022, 12, 20), 2022, grade=Grade.EXCELLENT), calendar, full_quota)
    state = handle(official, rate(official, date(2022, 12, 20), 2022, grade=Grade.EXCELLENT), calendar, RATED)[0]
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        decide(state, rate(state, date(2022, 12, 21), 2022, grade=Grade.GOOD), calendar, RATED)


def test_r_screening_two_years_not_completed_rule_out_keep(official: PersonState, calendar: WorkingCalendar) -> None:
    state = official
    for year in (2022, 2023):
        state = handle(state, rate(state, date(year, 12, 20), year, grade=Grade.NOT_COMPLETED), calendar, RATED)[0]
    keep = mc.RecordScreeningOutcome(**at(state, date(2024, 1, 10)), year=2023, outcome=ScreeningOutcome.KEEP)
    with pytest.raises(RuleViolation, match=r"^R-SCREENING:"):
        decide(state, keep, calendar)
    educate = mc.RecordScreeningOutcome(**at(state, date(2024, 1, 10)), year=2023, outcome=ScreeningOutcome.EDUCATE)
    assert handle(state, educate, calendar)[0].screenings == ((2023, ScreeningOutcome.EDUCATE),)
    one_year = handle(official, rate(official, date(2023, 12, 20), 2023, grade=Grade.NOT_COMPLETED), calendar, RATED)[0]
    assert handle(one_year, keep, calendar)[0].screenings == ((2023, ScreeningOutcome.KEEP),)


@pytest.mark.parametrize("year", [-1, 0, 1929, 2025])
def test_a_rating_or_screening_is_for_a_year_from_1930_to_the_papers_own(
    official: PersonState, calendar: WorkingCalendar, year: int
) -> None:
    on = date(2024, 12, 20)
    screening = mc.RecordScreeningOutcome(**at(official, on), year=year, outcome=ScreeningOutcome.KEEP)
    for command in (rate(official, on, year, grade=Grade.GOOD), screening):
        with pytest.raises(InvalidCommand) as refused:
            decide(official, command, calendar, RATED)
        assert refused.value.field == "year"
    (rated,) = decide(official, rate(official, on, 1930, grade=Grade.GOOD), calendar, RATED)
    assert isinstance(rated, MemberRated) and rated.year == 1930
