"""R-DECIDE-DEADLINE, R-CEREMONY-DEADLINE, R-RECOGNISE-DEADLINE and R-TRANSFER, counted in working days."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import RuleViolation
from domain.rules.deadlines import (
    RecognitionStep,
    TransferStep,
    ceremony_deadline,
    decide_deadline,
    recognise_deadline,
    transfer_deadline,
)
from domain.rules.qd24_2021 import QD24_2021

RULES = QD24_2021
CALENDAR = WorkingCalendar()
RECEIVED_BEFORE_TET = date(2022, 1, 14)
THIRTIETH_WORKING_DAY = date(2022, 3, 4)
"""Counted by hand: 17/1–28/1 (10), Tết 31/1–4/2 off, 7/2–25/2 (15), 28/2–4/3 (5)."""


def test_r_ceremony_deadline_accepts_the_30th_working_day_across_tet() -> None:
    deadline = ceremony_deadline(RULES, CALENDAR, RECEIVED_BEFORE_TET)
    assert deadline.due_on == THIRTIETH_WORKING_DAY
    assert deadline.refuse_if_late(CALENDAR, THIRTIETH_WORKING_DAY, None) == 0


def test_r_ceremony_deadline_refuses_the_31st_working_day_without_consent() -> None:
    deadline = ceremony_deadline(RULES, CALENDAR, RECEIVED_BEFORE_TET)
    with pytest.raises(RuleViolation, match=r"^R-CEREMONY-DEADLINE:") as refused:
        deadline.refuse_if_late(CALENDAR, date(2022, 3, 7), None)
    assert refused.value.details["late_by_working_days"] == 1


def test_r_ceremony_deadline_accepts_the_31st_working_day_with_recorded_consent() -> None:
    deadline = ceremony_deadline(RULES, CALENDAR, RECEIVED_BEFORE_TET)
    assert deadline.refuse_if_late(CALENDAR, date(2022, 3, 7), "CV 12-CV/ĐUK") == 1


def test_r_ceremony_deadline_a_weekend_after_the_due_date_is_not_late() -> None:
    deadline = ceremony_deadline(RULES, CALENDAR, RECEIVED_BEFORE_TET)
    assert deadline.refuse_if_late(CALENDAR, date(2022, 3, 6), None) == 0


def test_r_decide_deadline_is_60_working_days_after_the_cell_resolution() -> None:
    deadline = decide_deadline(RULES, CALENDAR, date(2021, 12, 1))
    assert deadline.due_on == CALENDAR.add_working_days(date(2021, 12, 1), 60)
    assert CALENDAR.working_days_between(date(2021, 12, 1), deadline.due_on) == 60
    assert deadline.late_by(CALENDAR, deadline.due_on) == 0


def test_r_decide_deadline_a_decision_one_working_day_late_is_late_by_one() -> None:
    deadline = decide_deadline(RULES, CALENDAR, date(2021, 12, 1))
    assert deadline.late_by(CALENDAR, CALENDAR.add_working_days(deadline.due_on, 1)) == 1


def test_r_decide_deadline_accepts_one_extension_of_30_working_days() -> None:
    deadline = decide_deadline(RULES, CALENDAR, date(2021, 12, 1))
    extended = deadline.extended(CALENDAR, 30, deadline.due_on)
    assert extended.due_on == CALENDAR.add_working_days(deadline.due_on, 30)
    assert extended.extensions_left == 0


def test_r_decide_deadline_refuses_an_extension_of_31_working_days() -> None:
    deadline = decide_deadline(RULES, CALENDAR, date(2021, 12, 1))
    with pytest.raises(RuleViolation, match=r"^R-DECIDE-DEADLINE:"):
        deadline.extended(CALENDAR, 31, deadline.due_on)


def test_r_decide_deadline_refuses_a_second_extension() -> None:
    deadline = decide_deadline(RULES, CALENDAR, date(2021, 12, 1)).extended(CALENDAR, 10, date(2021, 12, 2))
    with pytest.raises(RuleViolation, match=r"^R-DECIDE-DEADLINE:"):
        deadline.extended(CALENDAR, 10, date(2021, 12, 3))


def test_r_decide_deadline_refuses_an_extension_asked_after_the_due_date() -> None:
    deadline = decide_deadline(RULES, CALENDAR, date(2021, 12, 1))
    with pytest.raises(RuleViolation, match=r"^R-DECIDE-DEADLINE:"):
        deadline.extended(CALENDAR, 10, CALENDAR.add_working_days(deadline.due_on, 1))


def test_r_recognise_deadline_cell_vote_within_30_working_days_without_extension() -> None:
    deadline = recognise_deadline(RULES, CALENDAR, RecognitionStep.CELL_VOTE, RECEIVED_BEFORE_TET)
    assert deadline.due_on == THIRTIETH_WORKING_DAY
    assert deadline.late_by(CALENDAR, date(2022, 3, 7)) == 1
    with pytest.raises(RuleViolation, match=r"^R-RECOGNISE-DEADLINE:"):
        deadline.extended(CALENDAR, 5, RECEIVED_BEFORE_TET)


def test_r_recognise_deadline_decision_within_30_working_days_plus_one_extension_of_30() -> None:
    deadline = recognise_deadline(RULES, CALENDAR, RecognitionStep.DECISION, RECEIVED_BEFORE_TET)
    assert deadline.due_on == THIRTIETH_WORKING_DAY
    extended = deadline.extended(CALENDAR, 30, THIRTIETH_WORKING_DAY)
    assert CALENDAR.working_days_between(RECEIVED_BEFORE_TET, extended.due_on) == 60
    with pytest.raises(RuleViolation, match=r"^R-RECOGNISE-DEADLINE:"):
        deadline.extended(CALENDAR, 31, RECEIVED_BEFORE_TET)


def test_r_transfer_introduced_within_60_working_days_of_the_cause() -> None:
    deadline = transfer_deadline(RULES, CALENDAR, TransferStep.INTRODUCE, date(2021, 11, 1))
    assert CALENDAR.working_days_between(date(2021, 11, 1), deadline.due_on) == 60
    assert deadline.late_by(CALENDAR, deadline.due_on) == 0
    assert deadline.late_by(CALENDAR, CALENDAR.add_working_days(deadline.due_on, 1)) == 1


def test_r_transfer_presented_on_the_30th_working_day_accepted_the_31st_late() -> None:
    deadline = transfer_deadline(RULES, CALENDAR, TransferStep.PRESENT, RECEIVED_BEFORE_TET)
    assert deadline.rule_id == "R-TRANSFER"
    assert deadline.late_by(CALENDAR, THIRTIETH_WORKING_DAY) == 0
    assert deadline.late_by(CALENDAR, date(2022, 3, 7)) == 1
