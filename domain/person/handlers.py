"""The routing table of a person's commands, and `decide`: pick the rule set in force, then the decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand
from domain.paper import check_paper, check_paper_and_ids
from domain.person import admission, corrections, detours, enrolment, membership, pipeline, probation, removal
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.erasure import refuse_after_erasure
from domain.person.events import PersonEvent
from domain.person.facts import NO_FACTS, PersonFacts
from domain.person.records import PersonState
from domain.person.state import evolve
from domain.rules.base import RuleSet
from domain.rules.registry import rules_in_force

Decider = Callable[[PersonState, Any, PersonFacts, RuleSet, WorkingCalendar], list[PersonEvent]]

DECIDERS: dict[type[c.PersonCommand], Decider] = {
    c.NominateCandidate: pipeline.nominate_candidate,
    c.UpdateParticulars: pipeline.update_particulars,
    c.RecordTrainingCertificate: pipeline.record_training_certificate,
    c.SubmitApplication: pipeline.submit_application,
    c.SubmitBackgroundForm: pipeline.submit_background_form,
    c.OpenVerification: pipeline.open_verification,
    c.RecordVerificationResult: pipeline.record_verification_result,
    c.CertifyVerification: pipeline.certify_verification,
    c.RecordSponsors: pipeline.record_sponsors,
    c.ApproveAtCell: admission.approve_at_cell,
    c.AppraiseAtSubCommittee: admission.appraise_at_sub_committee,
    c.ApproveAtCommittee: admission.approve_at_committee,
    c.ExtendDecisionDeadline: admission.extend_decision_deadline,
    c.DecideAdmission: admission.decide_admission,
    c.RejectCandidate: admission.reject_candidate,
    c.ReturnDossier: detours.return_dossier,
    c.WithdrawCandidate: detours.withdraw_candidate,
    c.TransferCandidate: detours.transfer_candidate,
    c.FollowReorganisation: detours.follow_reorganisation,
    c.HandOverFile: detours.hand_over_file,
    c.RefuseFileRequest: detours.refuse_file_request,
    c.ReceiveAdmissionDecision: probation.receive_admission_decision,
    c.ConsentToLateCeremony: probation.consent_to_late_ceremony,
    c.HoldCeremony: probation.hold_ceremony,
    mc.EnrollMember: enrolment.enroll_member,
    mc.CompleteNewMemberCourse: probation.complete_new_member_course,
    mc.HoldRecognitionVote: probation.hold_recognition_vote,
    mc.RecogniseOfficial: probation.recognise_official,
    mc.StrikeOffProbationary: probation.strike_off_probationary,
    mc.IntroduceTransfer: membership.introduce_transfer,
    mc.PresentTransfer: membership.present_transfer,
    mc.EndTemporaryTransfer: membership.end_temporary_transfer,
    mc.RateMember: membership.rate_member,
    mc.RecordScreeningOutcome: membership.record_screening_outcome,
    mc.ReportViolation: removal.report_violation,
    mc.DismissViolation: removal.dismiss_violation,
    mc.DisciplineMember: removal.discipline_member,
    mc.AppealExpulsion: removal.appeal_expulsion,
    mc.ResolveExpulsionAppeal: removal.resolve_expulsion_appeal,
    mc.ProposeStrikeOff: removal.propose_strike_off,
    mc.DecideStrikeOff: removal.decide_strike_off,
    mc.GrantVoluntaryExit: removal.grant_voluntary_exit,
    mc.AnnulAdmission: removal.annul_admission,
    c.RetractEntry: corrections.retract_entry,
}
"""Command type → decision (cosmicpython style); every decision is pure and returns events or refuses."""


def decide(
    state: PersonState,
    command: c.PersonCommand,
    calendar: WorkingCalendar,
    facts: PersonFacts = NO_FACTS,
    rules: RuleSet | None = None,
) -> list[PersonEvent]:
    """Judge `command` under the rule set in force on its `occurred_on` (I11) unless one is given."""
    if command.person_id != state.person_id:
        raise InvalidCommand(
            "person_id",
            f"the command is for {command.person_id}, the state is of {state.person_id}",
            "lệnh không thuộc hồ sơ của người này",
        )
    refuse_after_erasure(state)
    check_paper_and_ids(command)
    check_paper(facts)  # what the body told about others (a consent, who was absent) is paper too
    chosen = rules if rules is not None else rules_in_force(command.occurred_on)
    return DECIDERS[type(command)](state, command, facts, chosen, calendar)


def handle(
    state: PersonState,
    command: c.PersonCommand,
    calendar: WorkingCalendar,
    facts: PersonFacts = NO_FACTS,
    rules: RuleSet | None = None,
) -> tuple[PersonState, list[PersonEvent]]:
    """Decide, then evolve: the events to append and the state they leave, dated by the command."""
    events = decide(state, command, calendar, facts, rules)
    for event in events:
        state = evolve(state, event, command.occurred_on)
    return state, events
