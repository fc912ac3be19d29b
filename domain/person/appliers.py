"""How each pre-admission event changes a person's state; called only through `state.evolve`."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.person import events as ev
from domain.person.erasure import PersonalDataErased
from domain.person.member_appliers import MEMBER_APPLIERS
from domain.person.member_appliers import UNORDERED as MEMBER_UNORDERED
from domain.person.records import Applier, CandidateFile, CorruptStreamError, Membership, PersonState
from domain.person.stages import Stage
from domain.records import replaced


def open_file(state: PersonState) -> CandidateFile:
    """The open file an event needs; its absence means the log was written around the domain."""
    if state.file is None:
        raise CorruptStreamError(f"no open file at stage {state.stage}")
    return state.file


def _with_file(state: PersonState, stage: Stage | None = None, **changes: Any) -> PersonState:
    return replaced(state, file=replaced(open_file(state), **changes), stage=stage or state.stage)


def _nominated(state: PersonState, e: ev.CandidateNominated, on: date) -> PersonState:
    return replaced(
        state,
        stage=Stage.SOURCE_POOL,
        citizen_id=e.citizen_id,
        particulars=e.particulars,
        cell_id=e.cell_id,
        helper_id=e.helper_id,
        file=CandidateFile(readmission=e.readmission),
        membership=None,
    )


def _trained(state: PersonState, e: ev.AwarenessTrainingCertified, on: date) -> PersonState:
    stage = Stage.TRAINED if state.stage is Stage.SOURCE_POOL else state.stage
    return _with_file(state, stage, certificate_issued_on=e.issued_on)


def _applied(state: PersonState, e: ev.ApplicationSubmitted, on: date) -> PersonState:
    return _with_file(state, Stage.APPLIED, application_ref=e.application_ref)


def _background_form(state: PersonState, e: ev.BackgroundFormSubmitted, on: date) -> PersonState:
    return _with_file(state, background_form_ref=e.form_ref)


def _verification_opened(state: PersonState, e: ev.VerificationOpened, on: date) -> PersonState:
    return _with_file(state, subjects=e.subjects, verification_opened=True, results=frozenset())


def _result(state: PersonState, e: ev.VerificationResultRecorded, on: date) -> PersonState:
    return _with_file(state, results=open_file(state).results | {e.subject_key})


def _certified(state: PersonState, e: ev.VerificationCertified, on: date) -> PersonState:
    return _with_file(state, Stage.VERIFIED)


def _sponsored(state: PersonState, e: ev.SponsorsRecorded, on: date) -> PersonState:
    return _with_file(state, Stage.SPONSORED, sponsors=e.sponsors, sponsored_on=on)


def _cell_approved(state: PersonState, e: ev.CellApproved, on: date) -> PersonState:
    return _with_file(
        state,
        Stage.CELL_APPROVED,
        cell_resolved_on=on,
        grassroots_cell=e.grassroots_cell,
        sub_committee_id=e.sub_committee_id,
        sub_committee_appraised=False,
        decision_deadline=e.decision_deadline,
    )


def _appraised(state: PersonState, e: ev.SubCommitteeAppraised, on: date) -> PersonState:
    return _with_file(state, sub_committee_appraised=True)


def _committee_approved(state: PersonState, e: ev.CommitteeApproved, on: date) -> PersonState:
    return _with_file(state, Stage.COMMITTEE_APPROVED)


def _extended(state: PersonState, e: ev.DecisionDeadlineExtended, on: date) -> PersonState:
    if state.membership is not None:
        return replaced(state, membership=replaced(state.membership, decision_deadline=e.deadline))
    return _with_file(state, decision_deadline=e.deadline)


def _decided(state: PersonState, e: ev.AdmissionDecided, on: date) -> PersonState:
    readmissions = state.readmissions + (1 if open_file(state).readmission else 0)
    new = _with_file(state, Stage.ADMITTED, decided_on=on, ceremony_deadline=e.ceremony_deadline)
    return replaced(new, readmissions=readmissions)


def _received(state: PersonState, e: ev.AdmissionDecisionReceived, on: date) -> PersonState:
    return _with_file(state, ceremony_deadline=e.ceremony_deadline, decision_received_on=on)


def _closed(stage: Stage) -> Applier:
    def close(state: PersonState, e: Any, on: date) -> PersonState:
        open_file(state)
        return replaced(state, stage=stage, file=None, helper_id=None)

    return close


_RETURN_CLEARS: dict[Stage, dict[str, Any]] = {
    Stage.TRAINED: {"certificate_issued_on": None},
    Stage.APPLIED: {
        "application_ref": None,
        "background_form_ref": None,
        "subjects": (),
        "results": frozenset(),
        "verification_opened": False,
    },
    Stage.VERIFIED: {},
    Stage.SPONSORED: {"sponsors": (), "sponsored_on": None},
    Stage.CELL_APPROVED: {
        "cell_resolved_on": None,
        "decision_deadline": None,
        "sub_committee_appraised": False,
    },
    Stage.COMMITTEE_APPROVED: {},
}
"""The papers a returned dossier loses with the stage it leaves (R-DOSSIER-RETURN)."""


def _returned(state: PersonState, e: ev.DossierReturned, on: date) -> PersonState:
    return _with_file(state, e.to_stage, **_RETURN_CLEARS[e.from_stage])


def _transferred(state: PersonState, e: ev.CandidateTransferred, on: date) -> PersonState:
    moved = _with_file(state, cowork_waived=True)
    return replaced(moved, cell_id=e.to_cell_id, helper_id=e.helper_id)


def _reorganised(state: PersonState, e: ev.MovedByReorganisation, on: date) -> PersonState:
    return replaced(state, cell_id=e.to_cell_id)


def _handed_over(state: PersonState, e: ev.FileHandedOver, on: date) -> PersonState:
    return replaced(state, cell_id=e.to_cell_id)


def _consented(state: PersonState, e: ev.LateCeremonyConsented, on: date) -> PersonState:
    return _with_file(state, late_ceremony_consent_ref=e.consent_ref)


def _ceremony(state: PersonState, e: ev.AdmissionCeremonyHeld, on: date) -> PersonState:
    file = open_file(state)
    if file.decided_on is None:
        raise CorruptStreamError("a ceremony without an admission decision")
    membership = Membership(
        admitted_on=file.decided_on,
        ceremony_on=on,
        probation_ends_on=e.probation_ends_on,
        mentor_id=e.mentor_id,
        recognition_vote_deadline=e.recognition_vote_deadline,
    )
    return replaced(state, stage=Stage.PROBATIONARY, file=None, helper_id=None, membership=membership)


def _unchanged(state: PersonState, e: Any, on: date) -> PersonState:
    return state


def _retracted(state: PersonState, e: ev.EntryRetracted, on: date) -> PersonState:
    """R-RETRACT: the state before the entry named, which must be the latest standing one (`evolve` keeps
    the stack of standing entries and stamps the version)."""
    if not state.undo or state.undo[-1].version != e.entry_version:
        raise CorruptStreamError(f"retraction of entry {e.entry_version}, which is not the latest standing one")
    top = state.undo[-1]
    return replaced(top.before, undo=state.undo[:-1], retracted=top)


def _particulars(state: PersonState, e: ev.ParticularsUpdated, on: date) -> PersonState:
    return replaced(state, particulars=e.particulars)


def _erased(state: PersonState, e: PersonalDataErased, on: date) -> PersonState:
    """Nothing of the file can be retracted or recorded any more (R-PRIVACY-ERASED)."""
    return replaced(state, erased=True, undo=())


APPLIERS: dict[type, Applier] = {
    ev.CandidateNominated: _nominated,
    ev.AwarenessTrainingCertified: _trained,
    ev.ApplicationSubmitted: _applied,
    ev.BackgroundFormSubmitted: _background_form,
    ev.VerificationOpened: _verification_opened,
    ev.VerificationResultRecorded: _result,
    ev.VerificationCertified: _certified,
    ev.SponsorsRecorded: _sponsored,
    ev.CellApproved: _cell_approved,
    ev.SubCommitteeAppraised: _appraised,
    ev.CommitteeApproved: _committee_approved,
    ev.DecisionDeadlineExtended: _extended,
    ev.AdmissionDecided: _decided,
    ev.AdmissionDecisionReceived: _received,
    ev.CandidateRejected: _closed(Stage.REJECTED),
    ev.DossierReturned: _returned,
    ev.CandidateWithdrawn: _closed(Stage.WITHDRAWN),
    ev.CandidateTransferred: _transferred,
    ev.MovedByReorganisation: _reorganised,
    ev.FileHandedOver: _handed_over,
    ev.FileRequestRefused: _unchanged,
    ev.LateCeremonyConsented: _consented,
    ev.AdmissionCeremonyHeld: _ceremony,
    ev.DeadlineBreached: _unchanged,
    ev.ParticularsUpdated: _particulars,
    ev.EntryRetracted: _retracted,
    PersonalDataErased: _erased,
    **MEMBER_APPLIERS,
}

UNORDERED: frozenset[type] = MEMBER_UNORDERED | {ev.FileRequestRefused}
"""Events that do not date the file's order (R-STAGE-ORDER): a refused request for the file is no step of it."""

__all__ = ["APPLIERS", "UNORDERED", "Applier", "open_file"]
