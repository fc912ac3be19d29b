"""How each member event changes a person's state; called only through `state.evolve`."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.person import member_events as mev
from domain.person.records import (
    Applier,
    CorruptStreamError,
    Departure,
    Membership,
    PendingTransfer,
    PersonState,
    YearRating,
)
from domain.person.stages import Stage
from domain.person.values import TransferKind
from domain.records import replaced
from domain.rules.authority import Penalty
from domain.rules.readmission import ReadmitBar
from domain.rules.votes import VoteOutcome


def membership_of(state: PersonState) -> Membership:
    """The membership a member event needs; its absence means the log was written around the domain."""
    if state.membership is None:
        raise CorruptStreamError(f"no membership at stage {state.stage}")
    return state.membership


def _with_membership(state: PersonState, **changes: Any) -> PersonState:
    return replaced(state, membership=replaced(membership_of(state), **changes))


def _depart(
    state: PersonState, stage: Stage, on: date, bar: ReadmitBar | None, appeal_by: date | None = None
) -> PersonState:
    membership = membership_of(state)
    departure = Departure(
        stage=stage,
        left_on=on,
        was_official=state.stage is Stage.OFFICIAL,
        readmit_bar=bar,
        appeal_by=appeal_by,
        membership=membership if appeal_by is not None else None,
    )
    return replaced(state, stage=stage, membership=None, departures=(*state.departures, departure))


def _enrolled(state: PersonState, e: mev.MemberEnrolled, on: date) -> PersonState:
    """A member from the roll: official ones have passed the new-member course, since recognition needs it."""
    membership = Membership(
        admitted_on=e.admitted_on,
        ceremony_on=e.ceremony_on,
        probation_ends_on=e.probation_ends_on,
        mentor_id=None,
        recognition_vote_deadline=e.recognition_vote_deadline,
        course_completed=e.official_from is not None,
        official_from=e.official_from,
    )
    return replaced(
        state,
        stage=Stage.PROBATIONARY if e.official_from is None else Stage.OFFICIAL,
        citizen_id=e.citizen_id,
        particulars=e.particulars,
        cell_id=e.cell_id,
        helper_id=None,
        file=None,
        membership=membership,
        readmissions=state.readmissions + (1 if e.readmission else 0),
    )


def _course(state: PersonState, e: mev.NewMemberCourseCompleted, on: date) -> PersonState:
    return _with_membership(state, course_completed=True)


def _vote(state: PersonState, e: mev.RecognitionVoteHeld, on: date) -> PersonState:
    m = membership_of(state)
    if e.outcome is VoteOutcome.INCONCLUSIVE:
        return _with_membership(state, rounds=m.rounds + 1, inconclusive_rounds=m.inconclusive_rounds + 1)
    return _with_membership(state, rounds=m.rounds + 1, cell_verdict=e.outcome, decision_deadline=e.decision_deadline)


def _escalated(state: PersonState, e: mev.RecognitionEscalated, on: date) -> PersonState:
    return _with_membership(state, escalated=True, decision_deadline=e.decision_deadline)


def _official(state: PersonState, e: mev.OfficialRecognised, on: date) -> PersonState:
    recognised = _with_membership(state, official_from=e.official_from, decision_deadline=None)
    return replaced(recognised, stage=Stage.OFFICIAL)


def _probation_struck_off(state: PersonState, e: mev.ProbationaryMemberStruckOff, on: date) -> PersonState:
    return _depart(state, Stage.STRUCK_OFF, on, None)


def _introduced(state: PersonState, e: mev.MemberTransferIntroduced, on: date) -> PersonState:
    pending = PendingTransfer(kind=e.kind, to_unit_id=e.to_unit_id, present_deadline=e.present_deadline)
    return _with_membership(state, pending_transfer=pending)


def _presented(state: PersonState, e: mev.MemberTransferPresented, on: date) -> PersonState:
    if e.kind is TransferKind.TEMPORARY:
        return _with_membership(state, pending_transfer=None, temporary_unit_id=e.to_unit_id)
    return replaced(_with_membership(state, pending_transfer=None), cell_id=e.to_unit_id)


def _temporary_ended(state: PersonState, e: mev.TemporaryTransferEnded, on: date) -> PersonState:
    return _with_membership(state, temporary_unit_id=None)


def _violation(pending: bool) -> Applier:
    def apply(state: PersonState, e: Any, on: date) -> PersonState:
        return _with_membership(state, pending_violation=pending)

    return apply


def _disciplined(state: PersonState, e: mev.MemberDisciplined, on: date) -> PersonState:
    m = membership_of(state)
    state = _with_membership(state, pending_violation=False, penalties=(*m.penalties, e.penalty))
    if e.penalty is Penalty.EXPULSION:
        return _depart(state, Stage.EXPELLED, on, e.readmit_bar, e.appeal_by)
    return state


def _last_departure(state: PersonState) -> Departure:
    if not state.departures:
        raise CorruptStreamError("an appeal without a departure")
    return state.departures[-1]


def _appealed(state: PersonState, e: mev.ExpulsionAppealed, on: date) -> PersonState:
    last = replaced(_last_departure(state), appealed=True)
    return replaced(state, departures=(*state.departures[:-1], last))


def _appeal_resolved(state: PersonState, e: mev.ExpulsionAppealResolved, on: date) -> PersonState:
    last = _last_departure(state)
    if e.upheld:
        return replaced(state, departures=(*state.departures[:-1], replaced(last, appeal_resolved=True)))
    if last.membership is None:
        raise CorruptStreamError("an overturned expulsion without the membership it ended")
    stage = Stage.OFFICIAL if last.was_official else Stage.PROBATIONARY
    restored = replaced(last.membership, penalties=last.membership.penalties[:-1])
    return replaced(state, stage=stage, membership=restored, departures=state.departures[:-1])


def _proposed(state: PersonState, e: mev.StrikeOffProposed, on: date) -> PersonState:
    return _with_membership(state, strike_off_ground=e.ground)


def _struck_off(state: PersonState, e: mev.MemberStruckOff, on: date) -> PersonState:
    return _depart(state, Stage.STRUCK_OFF, on, e.readmit_bar)


def _exited(state: PersonState, e: mev.VoluntaryExitGranted, on: date) -> PersonState:
    return _depart(state, Stage.EXITED, on, e.readmit_bar)


def _rated(state: PersonState, e: mev.MemberRated, on: date) -> PersonState:
    return replaced(state, ratings=(*state.ratings, YearRating(year=e.year, grade=e.grade)))


def _screened(state: PersonState, e: mev.ScreeningOutcomeRecorded, on: date) -> PersonState:
    return replaced(state, screenings=(*state.screenings, (e.year, e.outcome)))


def _annulled(state: PersonState, e: mev.AdmissionAnnulled, on: date) -> PersonState:
    return replaced(state, stage=Stage.ANNULLED, file=None, membership=None, helper_id=None)


MEMBER_APPLIERS: dict[type, Applier] = {
    mev.MemberEnrolled: _enrolled,
    mev.NewMemberCourseCompleted: _course,
    mev.RecognitionVoteHeld: _vote,
    mev.RecognitionEscalated: _escalated,
    mev.OfficialRecognised: _official,
    mev.ProbationaryMemberStruckOff: _probation_struck_off,
    mev.MemberTransferIntroduced: _introduced,
    mev.MemberTransferPresented: _presented,
    mev.TemporaryTransferEnded: _temporary_ended,
    mev.ViolationReported: _violation(True),
    mev.ViolationDismissed: _violation(False),
    mev.MemberDisciplined: _disciplined,
    mev.ExpulsionAppealed: _appealed,
    mev.ExpulsionAppealResolved: _appeal_resolved,
    mev.StrikeOffProposed: _proposed,
    mev.MemberStruckOff: _struck_off,
    mev.VoluntaryExitGranted: _exited,
    mev.MemberRated: _rated,
    mev.ScreeningOutcomeRecorded: _screened,
    mev.AdmissionAnnulled: _annulled,
}

UNORDERED: frozenset[type] = frozenset({mev.MemberRated, mev.ScreeningOutcomeRecorded})
"""Yearly records entered in bulk: they do not move the date that later steps must not precede."""
