"""The steps a caller may take on a person's file now: role, stage, and the acting unit the rules require.

`allowed_steps` answers by role and stage only; a page that offered those showed a school's officer the bloc's
admission decision and a cell secretary a sub-committee's appraisal where there is none. Here each step is
also checked against who must act (R-AUTH-CELL: the person's own cell; R-AUTH-ADMIT: the competent body;
§2.7: the grassroots committee over the cell, after its sub-committee) and against what the file already
holds (a decision received once, a course completed once, a verdict before a decision). The rules still
decide every step when it is taken; this only keeps off the page what they would refuse for who or when.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final

from domain.errors import DomainError
from domain.person.records import PersonState
from domain.person.stages import BEFORE_VOTE, Stage
from domain.person.values import RejectionLevel
from domain.rules.votes import VoteOutcome
from domain.units.tree import UnitTree

from .actors import Actor
from .people import allowed_steps
from .person_steps import LEVEL_ROLES, Step

OWN_CELL: Final = frozenset(
    {"approveAtCell", "holdRecognitionVote", "proposeStrikeOff", "receiveAdmissionDecision", "holdCeremony"}
)
"""Steps the domain lets only the person's own cell take (R-AUTH-CELL)."""


def _competent(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> bool:
    """R-AUTH-ADMIT: the caller's unit is the body that decides for the person's cell (none found: nobody)."""
    if state.cell_id is None:
        return False
    try:
        return tree.competent_decider(state.cell_id, on).unit_id == actor.unit_id
    except DomainError:  # a cell above the grassroots level, or not in today's tree: the rules refuse anyway
        return False


def _grassroots(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> bool:
    """§2.7: the caller's unit is the grassroots committee over the person's cell."""
    if state.cell_id is None:
        return False
    chain = (*tree.ancestors(state.cell_id, on), tree.state_on(state.cell_id, on))
    committee = next((u for u in reversed(chain) if u is not None and u.kind.is_grassroots), None)
    return committee is not None and committee.unit_id == actor.unit_id


Check = Callable[[UnitTree, PersonState, Actor, date], bool]


def _decision_stage(state: PersonState) -> Stage | None:
    if state.file is None:
        return None
    return Stage.CELL_APPROVED if state.file.grassroots_cell else Stage.COMMITTEE_APPROVED


def _verdict(wanted: VoteOutcome) -> Check:
    def check(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> bool:
        m = state.membership
        voted = m is not None and (m.cell_verdict is wanted or m.escalated)
        return voted and _competent(tree, state, actor, on)

    return check


def _committee_resolves(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> bool:
    file = state.file
    if file is None or file.grassroots_cell or (file.sub_committee_id and not file.sub_committee_appraised):
        return False
    return _grassroots(tree, state, actor, on)


def _decides_admission(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> bool:
    return state.stage is _decision_stage(state) and _competent(tree, state, actor, on)


def _may_reject(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> bool:
    """Some level of rejection the caller may record at this stage (the form asks which): the cell before
    its vote, the committee after it, the competent body at the decision."""
    if state.stage in BEFORE_VOTE:
        return actor.unit_id == state.cell_id
    committee_may = actor.role in LEVEL_ROLES[RejectionLevel.COMMITTEE] and not (
        state.file and state.file.grassroots_cell
    )
    if state.stage is Stage.CELL_APPROVED and committee_may:
        return True  # the domain names no unit for the committee's rejection: its role and the walls suffice
    return _decides_admission(tree, state, actor, on)


def _decision_awaited(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> bool:
    file_clock = state.file.decision_deadline if state.file else None
    member_clock = state.membership.decision_deadline if state.membership else None
    return (file_clock or member_clock) is not None


def _another_cell_in_view(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> bool:
    """A candidate moves only to a cell the caller governs too (the walls read the new cell)."""
    return any(
        unit.kind.holds_members and unit.is_active and unit.unit_id != state.cell_id
        for unit_id in tree.subtree(actor.unit_id, on)
        if (unit := tree.state_on(unit_id, on)) is not None
    )


CHECKS: Final[dict[str, Check]] = {
    "transferCandidate": _another_cell_in_view,
    "submitBackgroundForm": lambda t, s, a, on: bool(s.file and not s.file.verification_opened),
    "openVerification": lambda t, s, a, on: bool(s.file and s.file.background_form_ref),
    "recordVerificationResult": lambda t, s, a, on: bool(
        s.file and s.file.verification_opened and s.file.pending_results()
    ),
    "certifyVerification": lambda t, s, a, on: bool(
        s.file and s.file.verification_opened and not s.file.pending_results()
    ),
    "appraiseAtSubCommittee": lambda t, s, a, on: bool(
        s.file and s.file.sub_committee_id == a.unit_id and not s.file.sub_committee_appraised
    ),
    "approveAtCommittee": _committee_resolves,
    "decideAdmission": _decides_admission,
    "extendDecisionDeadline": _decision_awaited,
    "rejectCandidate": _may_reject,
    "receiveAdmissionDecision": lambda t, s, a, on: bool(s.file and s.file.decision_received_on is None),
    "completeNewMemberCourse": lambda t, s, a, on: bool(s.membership and not s.membership.course_completed),
    "holdRecognitionVote": lambda t, s, a, on: bool(
        s.membership and s.membership.cell_verdict is None and not s.membership.escalated
    ),
    "recogniseOfficial": _verdict(VoteOutcome.FOR),
    "strikeOffProbationary": _verdict(VoteOutcome.AGAINST),
    "annulAdmission": _competent,
    "endTemporaryTransfer": lambda t, s, a, on: bool(s.membership and s.membership.temporary_unit_id),
    "dismissViolation": lambda t, s, a, on: bool(s.membership and s.membership.pending_violation),
    "decideStrikeOff": lambda t, s, a, on: (
        bool(s.membership and s.membership.strike_off_ground)
        and (_competent(t, s, a, on) if s.stage is Stage.PROBATIONARY else a.unit_id != s.cell_id)
    ),
}
"""What the file must hold, and who must act, for each step that needs more than its role and stage."""


def next_steps(tree: UnitTree, state: PersonState, actor: Actor, on: date) -> list[Step]:
    """The steps the person page offers this caller today; the transfer's receiving side has its own page. None
    on an erased file (R-PRIVACY-ERASED: nothing more is recorded on it)."""
    if state.erased:
        return []
    chosen = []
    for step in allowed_steps(state, actor):
        if step.creates or step.at_destination:
            continue
        if step.operation_id in OWN_CELL and actor.unit_id != state.cell_id:
            continue
        check = CHECKS.get(step.operation_id)
        if check is None or check(tree, state, actor, on):
            chosen.append(step)
    return chosen
