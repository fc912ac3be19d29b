"""The table of person steps: command → path, roles, facts, what its walls and facts read, its request body.

One row per step of DOMAIN.md §2–§4. The body of each step is a msgspec Struct made from the command's own
fields (minus `person_id` and `acting_unit_id`: the person is in the path, the acting unit is the caller's),
plus `expected_version` and the facts the request must state (see `people_facts`).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Annotated, Any, Final, TypeVar

import msgspec

from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.stages import BEFORE_VOTE, MAY_OPEN_FILE, MEMBER_STAGES, PIPELINE, Stage
from domain.person.values import RejectionLevel

from .actors import Role
from .person_facts import NO_READS, STATED_FIELDS, FactKind, Reads

HIDDEN: Final = frozenset({"person_id", "acting_unit_id"})
Version = Annotated[int, msgspec.Meta(ge=0, description="The person stream's version the caller saw (I2)")]

CELL: Final = frozenset({Role.CELL_SECRETARY, Role.PROVINCIAL_ADMIN})
COMMITTEE: Final = frozenset({Role.GRASSROOTS_OFFICER, Role.PROVINCIAL_ADMIN})
DECIDER: Final = frozenset({Role.GRASSROOTS_OFFICER, Role.UPPER_OFFICER, Role.PROVINCIAL_ADMIN})
UPPER: Final = frozenset({Role.UPPER_OFFICER, Role.PROVINCIAL_ADMIN})
OFFICERS: Final = CELL | COMMITTEE | UPPER
RETURNABLE: Final = frozenset(PIPELINE[1 : PIPELINE.index(Stage.ADMITTED)])
ALL_BUT_NEW: Final = frozenset(Stage) - {Stage.NEW}

LEVEL_ROLES: Final[dict[RejectionLevel, frozenset[Role]]] = {
    RejectionLevel.CELL: CELL,
    RejectionLevel.COMMITTEE: COMMITTEE,
    RejectionLevel.DECIDER: DECIDER,
}
"""Who may record a rejection at each level (the domain checks the unit for the cell and the decider)."""


@dataclass(frozen=True)
class Step:
    """One endpoint: `path` is below `/people/{person_id}` unless `creates` (then below `/people`).

    `at_destination`: the wall is the unit a pending transfer goes to (the receiving unit records it).
    `reads`: what the walls and facts read from the command, a typed accessor per step (see `Reads`).
    """

    command: type[c.PersonCommand]
    path: str
    operation_id: str
    roles: frozenset[Role]
    facts: FactKind
    stages: Collection[Stage]
    creates: bool = False
    at_destination: bool = False
    reads: Callable[[Any], Reads] = lambda command: NO_READS
    body: type[msgspec.Struct] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", body_struct(self.command, self.facts))

    @property
    def route(self) -> str:
        return f"/people{self.path}" if self.creates else f"/people/{{person_id}}{self.path}"


_FIELDS: dict[type[c.PersonCommand], tuple[tuple[str, Any, Any], ...]] = {}


def command_fields(command: type[c.PersonCommand]) -> tuple[tuple[str, Any, Any], ...]:
    """The command's own fields for the body, with their resolved types and defaults (resolved once per
    class: `get_type_hints` was a sixth of a command's CPU)."""
    known = _FIELDS.get(command)
    if known is None:
        known = _FIELDS[command] = _resolve_fields(command)
    return known


def _resolve_fields(command: type[c.PersonCommand]) -> tuple[tuple[str, Any, Any], ...]:
    hints = typing.get_type_hints(command)
    chosen = []
    for f in dataclasses.fields(command):
        if f.name in HIDDEN:
            continue
        default = f.default if f.default is not dataclasses.MISSING else msgspec.NODEFAULT
        chosen.append((f.name, hints[f.name], default))
    return tuple(chosen)


def body_struct(command: type[c.PersonCommand], facts: FactKind) -> type[msgspec.Struct]:
    """A strict body per command (unknown fields refused), so OpenAPI documents each one."""
    fields = [*command_fields(command), ("expected_version", Version, msgspec.NODEFAULT)]
    fields += STATED_FIELDS.get(facts, [])
    return msgspec.defstruct(
        f"{command.__name__}Body",
        [(n, t) if d is msgspec.NODEFAULT else (n, t, d) for n, t, d in fields],
        kw_only=True,
        frozen=True,
        forbid_unknown_fields=True,
    )


def to_command(step: Step, body: Any, person_id: str, acting_unit_id: str) -> c.PersonCommand:
    """The command the body asks for: its fields, the person in the path, the caller's unit acting."""
    values = {name: getattr(body, name) for name, _, _ in command_fields(step.command)}
    return step.command(person_id=person_id, acting_unit_id=acting_unit_id, **values)


C = TypeVar("C", bound=c.PersonCommand)


def _s(
    command: type[C],
    path: str,
    operation_id: str,
    roles: frozenset[Role],
    facts: FactKind,
    stages: Collection[Stage],
    *,
    creates: bool = False,
    at_destination: bool = False,
    reads: Callable[[C], Reads] = lambda command: NO_READS,
) -> Step:
    """A row of the table; `reads` is checked against `command`'s own fields by the type checker."""
    return Step(command, path, operation_id, roles, facts, stages, creates, at_destination, reads)


DECISION: Final = frozenset({Stage.CELL_APPROVED, Stage.COMMITTEE_APPROVED})
K = FactKind
STEPS: Final[tuple[Step, ...]] = (
    _s(c.NominateCandidate, "", "nominateCandidate", CELL, K.OPEN_FILE, MAY_OPEN_FILE, creates=True,
       reads=lambda x: Reads(cell_id=x.acting_unit_id, member_id=x.helper_id)),
    _s(mc.EnrollMember, "/enrolment", "enrollMember", CELL | COMMITTEE, K.READMISSION, MAY_OPEN_FILE, creates=True,
       reads=lambda x: Reads(cell_id=x.cell_id)),
    _s(c.UpdateParticulars, "/particulars", "updateParticulars", CELL | COMMITTEE, K.NONE, ALL_BUT_NEW),
    _s(c.RecordTrainingCertificate, "/training-certificate", "recordTrainingCertificate", CELL, K.NONE, BEFORE_VOTE),
    _s(c.SubmitApplication, "/application", "submitApplication", CELL, K.NONE, {Stage.TRAINED}),
    _s(c.SubmitBackgroundForm, "/background-form", "submitBackgroundForm", CELL, K.NONE, {Stage.APPLIED}),
    _s(c.OpenVerification, "/verification", "openVerification", CELL, K.NONE, {Stage.APPLIED}),
    _s(c.RecordVerificationResult, "/verification-results", "recordVerificationResult", CELL, K.NONE, {Stage.APPLIED}),
    _s(c.CertifyVerification, "/verification-certificate", "certifyVerification", CELL | COMMITTEE, K.NONE,
       {Stage.APPLIED}),
    _s(c.RecordSponsors, "/sponsors", "recordSponsors", CELL, K.SPONSORS, {Stage.VERIFIED, Stage.SPONSORED},
       reads=lambda x: Reads(sponsors=x.sponsors)),
    _s(c.ApproveAtCell, "/cell-vote", "approveAtCell", CELL, K.CELL_VOTE, {Stage.SPONSORED}),
    _s(c.AppraiseAtSubCommittee, "/sub-committee-appraisal", "appraiseAtSubCommittee", COMMITTEE, K.NONE,
       {Stage.CELL_APPROVED}),
    _s(c.ApproveAtCommittee, "/committee-resolution", "approveAtCommittee", COMMITTEE, K.COMMITTEE,
       {Stage.CELL_APPROVED}),
    _s(c.ExtendDecisionDeadline, "/decision-deadline-extension", "extendDecisionDeadline", DECIDER, K.NONE,
       DECISION | {Stage.PROBATIONARY}),
    _s(c.DecideAdmission, "/admission-decision", "decideAdmission", DECIDER, K.COMPETENT, DECISION),
    _s(c.ReceiveAdmissionDecision, "/admission-decision-receipt", "receiveAdmissionDecision", CELL, K.NONE,
       {Stage.ADMITTED}),
    _s(c.RejectCandidate, "/rejection", "rejectCandidate", OFFICERS, K.REJECTION, BEFORE_VOTE | DECISION,
       reads=lambda x: Reads(level=x.level)),
    _s(c.ReturnDossier, "/dossier-return", "returnDossier", OFFICERS, K.NONE, RETURNABLE),
    _s(c.WithdrawCandidate, "/withdrawal", "withdrawCandidate", CELL, K.NONE, RETURNABLE | {Stage.SOURCE_POOL}),
    _s(c.TransferCandidate, "/transfer", "transferCandidate", CELL | COMMITTEE, K.HELPER, BEFORE_VOTE,
       reads=lambda x: Reads(units=(x.to_cell_id,), member_id=x.helper_id)),
    _s(c.ConsentToLateCeremony, "/late-ceremony-consent", "consentToLateCeremony", UPPER, K.NONE, {Stage.ADMITTED}),
    _s(c.HoldCeremony, "/ceremony", "holdCeremony", CELL, K.HELPER, {Stage.ADMITTED},
       reads=lambda x: Reads(member_id=x.mentor_id)),
    _s(mc.CompleteNewMemberCourse, "/new-member-course", "completeNewMemberCourse", CELL | COMMITTEE, K.NONE,
       {Stage.PROBATIONARY}),
    _s(mc.HoldRecognitionVote, "/recognition-vote", "holdRecognitionVote", CELL, K.MEMBER_VOTE, {Stage.PROBATIONARY}),
    _s(mc.RecogniseOfficial, "/official-recognition", "recogniseOfficial", DECIDER, K.COMPETENT, {Stage.PROBATIONARY}),
    _s(mc.StrikeOffProbationary, "/probationary-strike-off", "strikeOffProbationary", DECIDER, K.COMPETENT,
       {Stage.PROBATIONARY}),
    _s(mc.IntroduceTransfer, "/member-transfer", "introduceTransfer", CELL | COMMITTEE, K.NONE, MEMBER_STAGES,
       reads=lambda x: Reads(destination=x.to_unit_id)),
    _s(mc.PresentTransfer, "/member-transfer/presentation", "presentTransfer", CELL | COMMITTEE, K.NONE,
       MEMBER_STAGES, at_destination=True),
    _s(mc.EndTemporaryTransfer, "/member-transfer/end", "endTemporaryTransfer", CELL | COMMITTEE, K.NONE,
       MEMBER_STAGES),
    _s(mc.ReportViolation, "/violations", "reportViolation", OFFICERS, K.NONE, MEMBER_STAGES),
    _s(mc.DismissViolation, "/violations/dismissal", "dismissViolation", OFFICERS, K.NONE, MEMBER_STAGES),
    _s(mc.DisciplineMember, "/discipline", "disciplineMember", OFFICERS, K.BODY, MEMBER_STAGES),
    _s(mc.AppealExpulsion, "/expulsion-appeal", "appealExpulsion", OFFICERS, K.NONE, {Stage.EXPELLED}),
    _s(mc.ResolveExpulsionAppeal, "/expulsion-appeal/resolution", "resolveExpulsionAppeal", DECIDER, K.NONE,
       {Stage.EXPELLED}),
    _s(mc.ProposeStrikeOff, "/strike-off-proposal", "proposeStrikeOff", CELL, K.MEMBER_VOTE, MEMBER_STAGES),
    _s(mc.DecideStrikeOff, "/strike-off", "decideStrikeOff", DECIDER, K.STRIKE_OFF, MEMBER_STAGES),
    _s(mc.GrantVoluntaryExit, "/voluntary-exit", "grantVoluntaryExit", DECIDER, K.NONE, MEMBER_STAGES),
    _s(mc.RateMember, "/rating", "rateMember", CELL | COMMITTEE, K.RATING, MEMBER_STAGES,
       reads=lambda x: Reads(year=x.year)),
    _s(mc.RecordScreeningOutcome, "/screening", "recordScreeningOutcome", CELL | COMMITTEE, K.NONE, MEMBER_STAGES),
    _s(mc.AnnulAdmission, "/admission-annulment", "annulAdmission", DECIDER, K.COMPETENT,
       {Stage.ADMITTED} | MEMBER_STAGES),
    _s(c.RetractEntry, "/retractions", "retractEntry", OFFICERS, K.RETRACTION, (),
       reads=lambda x: Reads(entry_version=x.entry_version)),
)  # fmt: skip
"""Every person step, in the order of DOMAIN.md §2–§4; a retraction (R-RETRACT) is offered on each entry of the
timeline it may undo, not among the next steps (no stages)."""
