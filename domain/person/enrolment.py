"""Members admitted before the ledger started, entered from the roll (a ledger starts mid-life).

Their admission, ceremony and probation happened on paper years ago, so they are entered in one step that
checks what the roll can still prove: who they are, that the dates follow the statute's order, that probation
lasted exactly 12 months (R-RECOGNISE-BACKDATE) and that they were adults when admitted (R-ELIG-AGE).
"""

from __future__ import annotations

from datetime import date

from domain.calendar import WorkingCalendar
from domain.errors import RuleViolation
from domain.particulars import age_in_full_months
from domain.person import member_commands as mc
from domain.person import member_events as mev
from domain.person.events import PersonEvent
from domain.person.facts import PersonFacts
from domain.person.guards import check_readmission, check_step, refuse_order
from domain.person.pipeline import _check_identity as check_identity
from domain.person.records import PersonState
from domain.person.stages import MAY_OPEN_FILE
from domain.person.values import clean_text
from domain.rules.base import RuleSet
from domain.rules.deadlines import RecognitionStep, recognise_deadline
from domain.rules.probation import probation_ends_on

Events = list[PersonEvent]


def enroll_member(
    state: PersonState, cmd: mc.EnrollMember, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """Only into an empty stream or after a closed file or a departure (R-STAGE-ORDER); R-READMIT if due."""
    check_step(state, cmd, MAY_OPEN_FILE)
    citizen_id = check_identity(state, cmd.citizen_id, cmd.particulars)
    _check_dates(state, cmd, rules)
    _check_adult_when_admitted(rules, cmd.particulars.date_of_birth, cmd.admitted_on)
    readmission = state.was_official_member
    if readmission:
        check_readmission(state, rules, facts, deciding_on=None)
    ends_on = probation_ends_on(rules, cmd.ceremony_on)
    on_probation = cmd.official_from is None
    vote_by = recognise_deadline(rules, calendar, RecognitionStep.CELL_VOTE, ends_on) if on_probation else None
    enrolled = mev.MemberEnrolled(
        rule_set=rules.rule_set_id,
        citizen_id=citizen_id,
        particulars=cmd.particulars,
        cell_id=clean_text(cmd.cell_id, "cell_id"),
        admitted_on=cmd.admitted_on,
        ceremony_on=cmd.ceremony_on,
        probation_ends_on=ends_on,
        official_from=cmd.official_from,
        recognition_vote_deadline=vote_by,
        roll_ref=clean_text(cmd.roll_ref, "roll_ref"),
        readmission=readmission,
    )
    return [enrolled]


def _check_dates(state: PersonState, cmd: mc.EnrollMember, rules: RuleSet) -> None:
    """Decision, then ceremony, then enrolment; and after everything the stream already holds."""
    if state.last_step_on is not None and cmd.admitted_on <= state.last_step_on:
        raise refuse_order(
            cmd,
            f"the admission of {cmd.admitted_on.isoformat()} is not after the person's last recorded step "
            f"of {state.last_step_on.isoformat()}",
            f"ngày kết nạp {cmd.admitted_on:%d/%m/%Y} không sau bước cuối cùng đã ghi "
            f"ngày {state.last_step_on:%d/%m/%Y}",
        )
    if not cmd.admitted_on <= cmd.ceremony_on <= cmd.occurred_on:
        raise refuse_order(
            cmd,
            f"the decision ({cmd.admitted_on.isoformat()}), the ceremony ({cmd.ceremony_on.isoformat()}) and the "
            f"enrolment ({cmd.occurred_on.isoformat()}) must follow one another",
            f"ngày quyết định kết nạp ({cmd.admitted_on:%d/%m/%Y}), ngày lễ kết nạp ({cmd.ceremony_on:%d/%m/%Y}) "
            f"và ngày nhập sổ ({cmd.occurred_on:%d/%m/%Y}) phải theo đúng thứ tự",
        )
    if cmd.official_from is not None:
        _check_official_from(rules, cmd.ceremony_on, cmd.official_from, cmd.occurred_on)


def _check_official_from(rules: RuleSet, ceremony_on: date, official_from: date, enrolled_on: date) -> None:
    """R-RECOGNISE-BACKDATE: official exactly 12 months after the ceremony, and already so when enrolled."""
    due = probation_ends_on(rules, ceremony_on)
    if official_from != due or official_from > enrolled_on:
        raise RuleViolation(
            "R-RECOGNISE-BACKDATE",
            f"a member whose ceremony was on {ceremony_on.isoformat()} is official from {due.isoformat()}, "
            f"{rules.probation_months} months later, and only if that is not after the enrolment "
            f"({enrolled_on.isoformat()}); {official_from.isoformat()} was given",
            f"đảng viên kết nạp ngày {ceremony_on:%d/%m/%Y} là đảng viên chính thức từ ngày {due:%d/%m/%Y} "
            f"(đủ {rules.probation_months} tháng), không sau ngày nhập sổ {enrolled_on:%d/%m/%Y}; "
            f"ngày đã ghi là {official_from:%d/%m/%Y}",
            official_from=due.isoformat(),
        )


def _check_adult_when_admitted(rules: RuleSet, date_of_birth: date, admitted_on: date) -> None:
    """R-ELIG-AGE on the decision date: 18 in full months (over 60 needed a consent the roll does not show)."""
    months = age_in_full_months(date_of_birth, admitted_on) if admitted_on >= date_of_birth else -1
    if months < rules.min_age_months:
        shown = max(months, 0)
        raise RuleViolation(
            "R-ELIG-AGE",
            f"the member was {shown // 12} years {shown % 12} months old on the admission decision "
            f"({admitted_on.isoformat()}); the minimum is {rules.min_age_months // 12} years",
            f"đảng viên mới {shown // 12} tuổi {shown % 12} tháng vào ngày quyết định kết nạp "
            f"({admitted_on:%d/%m/%Y}); phải đủ {rules.min_age_months // 12} tuổi (tính theo tháng)",
            age_months=months,
        )
