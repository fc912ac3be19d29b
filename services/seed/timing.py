"""When a file's next step happens: realistic gaps, and the deadlines kept (or, by the file's fate, missed).

Papers are dated on working days. A body acting on time acts on or before the deadline the previous event
recorded (R-DECIDE-DEADLINE, R-CEREMONY-DEADLINE, R-RECOGNISE-DEADLINE); a late one acts some working days
after it, and the domain records the breach.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.person.stages import Stage
from services.seed.desk import Desk, Person


def working_day(desk: Desk, on: date) -> date:
    return desk.calendar.next_working_day(on)


def later(desk: Desk, on: date, low: int, high: int) -> date:
    """A working day some calendar days after `on`."""
    return working_day(desk, on + timedelta(days=desk.rng.randint(low, high)))


def between(desk: Desk, start: date, end: date) -> date:
    """A working day from `start` to `end` (a deadline, itself a working day); `start` if the window is shut."""
    if end <= start:
        return working_day(desk, start)
    return working_day(desk, start + timedelta(days=desk.rng.randint(0, (end - start).days)))


def late_by(desk: Desk, due: date, low: int, high: int) -> date:
    return desk.calendar.add_working_days(due, desk.rng.randint(low, high))


def next_date(desk: Desk, person: Person, on: date, entered: bool) -> date | None:
    """The date of the person's next step after one taken on `on` (None: the story pauses here)."""
    stage = person.state.stage
    planned = person.timetable.get(stage) if entered else None
    if planned is not None:
        return max(planned, on)
    if stage in _BEFORE_DECISION:
        return _before_decision(desk, person, on)
    if stage in (Stage.CELL_APPROVED, Stage.COMMITTEE_APPROVED):
        return _around_decision(desk, person, on)
    if stage is Stage.ADMITTED:
        return _ceremony(desk, person, on)
    if stage is Stage.PROBATIONARY:
        return _probation(desk, person, on)
    return None


_BEFORE_DECISION = (Stage.SOURCE_POOL, Stage.TRAINED, Stage.APPLIED, Stage.VERIFIED, Stage.SPONSORED)


def _before_decision(desk: Desk, person: Person, on: date) -> date:
    stage, file = person.state.stage, person.state.file
    assert file is not None
    if stage is Stage.SOURCE_POOL:
        return later(desk, on, 30, 150)
    if stage is Stage.TRAINED:
        return later(desk, on, 200, 600) if person.fate.slow else later(desk, on, 20, 120)
    if stage is Stage.APPLIED:
        if file.background_form_ref is None or not file.verification_opened:
            return later(desk, on, 2, 20)
        return later(desk, on, 10, 45) if file.pending_results() else later(desk, on, 3, 20)
    return later(desk, on, 7, 40) if stage is Stage.VERIFIED else later(desk, on, 7, 30)


def _around_decision(desk: Desk, person: Person, on: date) -> date:
    file = person.state.file
    assert file is not None
    if person.state.stage is Stage.CELL_APPROVED:
        if file.sub_committee_id is not None and not file.sub_committee_appraised:
            return later(desk, on, 5, 15)
        if not file.grassroots_cell:
            return later(desk, on, 7, 25)
    deadline = file.decision_deadline
    assert deadline is not None
    fate = person.fate
    if fate.extend_decision and deadline.extensions_left:
        return between(desk, max(on + timedelta(days=5), deadline.due_on - timedelta(days=25)), deadline.due_on)
    if fate.late_decision:
        return late_by(desk, max(deadline.due_on, on), 5, 40)
    return between(desk, on + timedelta(days=10), deadline.due_on - timedelta(days=1))


def _ceremony(desk: Desk, person: Person, on: date) -> date:
    file = person.state.file
    assert file is not None
    if file.decision_received_on is None:
        return later(desk, on, 2, 10)
    deadline = file.ceremony_deadline
    assert deadline is not None
    if person.fate.late_ceremony and file.late_ceremony_consent_ref is None:
        return late_by(desk, max(deadline.due_on, on), 5, 20)
    return between(desk, on + timedelta(days=5), deadline.due_on)


def _probation(desk: Desk, person: Person, on: date) -> date:
    m = person.state.membership
    assert m is not None
    if not m.course_completed:
        start = max(on + timedelta(days=1), m.ceremony_on + timedelta(days=60))
        end = min(m.ceremony_on + timedelta(days=240), m.probation_ends_on - timedelta(days=5))
        return between(desk, start, end) if start < end else later(desk, on, 5, 30)
    if m.cell_verdict is None:
        due = m.recognition_vote_deadline.due_on if m.recognition_vote_deadline else m.probation_ends_on
        if person.fate.late_vote:
            return late_by(desk, max(due, on), 3, 30)
        return between(desk, max(on + timedelta(days=1), m.probation_ends_on), due)
    due = m.decision_deadline.due_on if m.decision_deadline else on + timedelta(days=40)
    if person.fate.late_recognition:
        return late_by(desk, max(due, on), 3, 20)
    return between(desk, on + timedelta(days=7), due)
