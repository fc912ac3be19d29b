"""A person's file from the source pool to sponsorship (DOMAIN.md §2.1–§2.5) and its detours (§3)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand, RuleViolation
from domain.particulars import EducationLevel, Particulars
from domain.person import commands as c
from domain.person.events import CandidateTransferred, DossierReturned
from domain.person.facts import MemberFacts, PersonFacts, SponsorFacts
from domain.person.handlers import decide, handle
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.person.values import Relation, SponsorLetter, VerificationSubject
from domain.rules.qd24_2021 import QD24_2021


def at(state: PersonState, on: date, unit: str | None = None) -> dict[str, Any]:
    return {"person_id": state.person_id, "occurred_on": on, "acting_unit_id": unit or state.cell_id}


def letters(sponsors: tuple[SponsorFacts, ...]) -> tuple[SponsorLetter, ...]:
    return tuple(SponsorLetter(sponsor_id=s.sponsor_id, kind=s.kind, document_ref="GT") for s in sponsors)


def test_nomination_opens_a_file_in_the_source_pool(nominated: PersonState) -> None:
    assert nominated.stage is Stage.SOURCE_POOL
    assert nominated.file is not None and not nominated.file.readmission
    assert (nominated.cell_id, nominated.helper_id, nominated.version) == ("cell-teachers", "member-1", 1)


def test_r_stage_order_refuses_a_second_open_file(
    nominated: PersonState, calendar: WorkingCalendar, citizen_id: str, particulars: Particulars, helper: PersonFacts
) -> None:
    again = c.NominateCandidate(
        **at(nominated, date(2021, 4, 1)),
        citizen_id=citizen_id,
        particulars=particulars,
        helper_id="member-1",
        resolution_ref="NQ 2",
    )
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:"):
        decide(nominated, again, calendar, helper)


def test_r_helper_official_refuses_a_probationary_helper(
    calendar: WorkingCalendar, citizen_id: str, particulars: Particulars, nominated: PersonState
) -> None:
    fresh = PersonState(person_id=nominated.person_id)
    cmd = c.NominateCandidate(
        **at(fresh, date(2021, 3, 1), "cell-teachers"),
        citizen_id=citizen_id,
        particulars=particulars,
        helper_id="member-9",
        resolution_ref="NQ 1",
    )
    with pytest.raises(RuleViolation, match=r"^R-HELPER-OFFICIAL:"):
        decide(fresh, cmd, calendar, PersonFacts(member=MemberFacts(person_id="member-9", is_official=False)))


def test_nomination_refuses_an_identity_number_of_another_stream(
    calendar: WorkingCalendar, particulars: Particulars, helper: PersonFacts
) -> None:
    """The stream carries another number (a closed file of someone else): the typo attaches to no stranger."""
    fresh = PersonState(person_id="person-0123", citizen_id="001090654321")
    cmd = c.NominateCandidate(
        **at(fresh, date(2021, 3, 1), "cell-teachers"),
        citizen_id="001090123456",
        particulars=particulars,
        helper_id="member-1",
        resolution_ref="NQ 1",
    )
    with pytest.raises(InvalidCommand, match=r"^citizen_id:"):
        decide(fresh, cmd, calendar, helper)


def test_nomination_refuses_particulars_that_contradict_the_identity_number(
    calendar: WorkingCalendar, particulars: Particulars, helper: PersonFacts, nominated: PersonState
) -> None:
    fresh = PersonState(person_id=nominated.person_id)
    wrong_year = replace(particulars, date_of_birth=date(1991, 5, 1))
    cmd = c.NominateCandidate(
        **at(fresh, date(2021, 3, 1), "cell-teachers"),
        citizen_id="001090123456",
        particulars=wrong_year,
        helper_id="member-1",
        resolution_ref="NQ 1",
    )
    with pytest.raises(InvalidCommand, match=r"^citizen_id:"):
        decide(fresh, cmd, calendar, helper)


def test_r_stage_order_refuses_an_application_before_the_awareness_class(
    nominated: PersonState, calendar: WorkingCalendar
) -> None:
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:") as refused:
        decide(nominated, c.SubmitApplication(**at(nominated, date(2021, 3, 2)), application_ref="Đơn"), calendar)
    assert unicodedata.is_normalized("NFC", refused.value.message_vi)


def test_r_stage_order_refuses_a_step_dated_before_the_previous_one(
    nominated: PersonState, calendar: WorkingCalendar
) -> None:
    cmd = c.RecordTrainingCertificate(
        **at(nominated, date(2021, 2, 28)), certificate_ref="GCN", issued_on=date(2021, 2, 1)
    )
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:"):
        decide(nominated, cmd, calendar)


def test_a_certificate_dated_after_its_recording_is_malformed(
    nominated: PersonState, calendar: WorkingCalendar
) -> None:
    cmd = c.RecordTrainingCertificate(
        **at(nominated, date(2021, 3, 2)), certificate_ref="GCN", issued_on=date(2021, 3, 3)
    )
    with pytest.raises(InvalidCommand, match=r"^issued_on:"):
        decide(nominated, cmd, calendar)


def test_r_stage_order_verification_needs_the_background_form_first(
    nominated: PersonState, calendar: WorkingCalendar
) -> None:
    state = nominated
    for cmd in (
        c.RecordTrainingCertificate(**at(state, date(2021, 3, 20)), certificate_ref="GCN", issued_on=date(2021, 3, 19)),
        c.SubmitApplication(**at(state, date(2021, 3, 25)), application_ref="Đơn"),
    ):
        state = handle(state, cmd, calendar)[0]
    subjects = (VerificationSubject(relation=Relation.SELF, full_name="Nguyễn Văn An"),)
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:"):
        decide(state, c.OpenVerification(**at(state, date(2021, 3, 26)), subjects=subjects), calendar)


def test_verification_must_name_the_candidate_never_exempt(applied: PersonState, calendar: WorkingCalendar) -> None:
    exempt_self = (VerificationSubject(relation=Relation.SELF, full_name="Nguyễn Văn An", exempt_reason="x"),)
    with pytest.raises(InvalidCommand, match=r"^subjects:"):
        decide(applied, c.OpenVerification(**at(applied, date(2021, 3, 29)), subjects=exempt_self), calendar)


@pytest.mark.parametrize("year", [1899, 2022, 3021, -1])
def test_a_relatives_year_of_birth_after_the_papers_year_or_before_1900_is_refused_naming_the_field(
    applied: PersonState, calendar: WorkingCalendar, year: int
) -> None:
    subjects = (
        VerificationSubject(relation=Relation.SELF, full_name="Nguyễn Văn An", birth_year=2000),
        VerificationSubject(relation=Relation.FATHER, full_name="Nguyễn Văn Bình", birth_year=year),
    )
    with pytest.raises(InvalidCommand, match=r"^subjects:") as refused:
        decide(applied, c.OpenVerification(**at(applied, date(2021, 3, 29)), subjects=subjects), calendar)
    assert refused.value.message_vi.startswith(f"năm sinh {year} của người thứ 2")
    assert "Bình" not in refused.value.message_vi and "Bình" not in refused.value.message_en


@pytest.mark.parametrize("year", [1900, 1960, 2021])
def test_a_plausible_year_of_birth_is_kept_with_the_subject(
    applied: PersonState, calendar: WorkingCalendar, year: int
) -> None:
    father = VerificationSubject(relation=Relation.FATHER, full_name="Nguyễn Văn Bình", birth_year=year)
    subjects = (VerificationSubject(relation=Relation.SELF, full_name="Nguyễn Văn An"), father)
    state = handle(applied, c.OpenVerification(**at(applied, date(2021, 3, 29)), subjects=subjects), calendar)[0]
    assert state.file is not None and state.file.subjects[1].birth_year == year


def test_r_verify_complete_refuses_certification_with_a_result_missing(
    applied: PersonState, calendar: WorkingCalendar
) -> None:
    subjects = (
        VerificationSubject(relation=Relation.SELF, full_name="Nguyễn Văn An"),
        VerificationSubject(relation=Relation.SPOUSE, full_name="Lê Thị Dung"),
    )
    state = handle(applied, c.OpenVerification(**at(applied, date(2021, 3, 29)), subjects=subjects), calendar)[0]
    result = c.RecordVerificationResult(
        **at(state, date(2021, 4, 1)), relation=Relation.SELF, full_name="Nguyễn Văn An", result_ref="KQ"
    )
    state = handle(state, result, calendar)[0]
    with pytest.raises(RuleViolation, match=r"^R-VERIFY-COMPLETE:"):
        decide(state, c.CertifyVerification(**at(state, date(2021, 4, 2))), calendar)


def test_r_verify_complete_a_decomposed_name_is_the_same_subject(
    applied: PersonState, calendar: WorkingCalendar
) -> None:
    subjects = (VerificationSubject(relation=Relation.SELF, full_name="Nguyễn Văn An"),)
    state = handle(applied, c.OpenVerification(**at(applied, date(2021, 3, 29)), subjects=subjects), calendar)[0]
    decomposed = unicodedata.normalize("NFD", "  Nguyễn Văn An ")
    result = c.RecordVerificationResult(
        **at(state, date(2021, 4, 1)), relation=Relation.SELF, full_name=decomposed, result_ref="KQ"
    )
    state = handle(state, result, calendar)[0]
    state = handle(state, c.CertifyVerification(**at(state, date(2021, 4, 2))), calendar)[0]
    assert state.stage is Stage.VERIFIED


def test_verified_candidate_has_every_non_exempt_result(verified: PersonState) -> None:
    assert verified.stage is Stage.VERIFIED
    assert verified.file is not None and verified.file.pending_results() == ()


def test_r_sponsors_refuses_a_sponsor_who_is_not_official(
    verified: PersonState, calendar: WorkingCalendar, sponsors: tuple[SponsorFacts, ...]
) -> None:
    demoted = (sponsors[0], replace(sponsors[1], is_official=False))
    cmd = c.RecordSponsors(**at(verified, date(2021, 5, 10)), sponsors=letters(demoted))
    with pytest.raises(RuleViolation, match=r"^R-SPONSORS:"):
        decide(verified, cmd, calendar, PersonFacts(sponsors=demoted))


def test_r_sponsor_cowork_refuses_11_months_accepts_12(
    verified: PersonState, calendar: WorkingCalendar, sponsors: tuple[SponsorFacts, ...]
) -> None:
    cmd = c.RecordSponsors(**at(verified, date(2021, 5, 10)), sponsors=letters(sponsors))
    short = (sponsors[0], replace(sponsors[1], months_co_working_same_unit=11))
    with pytest.raises(RuleViolation, match=r"^R-SPONSOR-COWORK:"):
        decide(verified, cmd, calendar, PersonFacts(sponsors=short))
    enough = (sponsors[0], replace(sponsors[1], months_co_working_same_unit=12))
    assert handle(verified, cmd, calendar, PersonFacts(sponsors=enough))[0].stage is Stage.SPONSORED


def test_r_sponsor_cowork_is_waived_after_the_candidate_moves(
    verified: PersonState, calendar: WorkingCalendar, sponsors: tuple[SponsorFacts, ...]
) -> None:
    move = c.TransferCandidate(**at(verified, date(2021, 5, 1)), to_cell_id="cell-admin", helper_id="member-8")
    state, events = handle(
        verified, move, calendar, PersonFacts(member=MemberFacts(person_id="member-8", is_official=True))
    )
    assert events == [
        CandidateTransferred(
            rule_set="qd24-2021", from_cell_id="cell-teachers", to_cell_id="cell-admin", helper_id="member-8"
        )
    ]
    assert (state.cell_id, state.helper_id, state.stage) == ("cell-admin", "member-8", Stage.VERIFIED)
    new_colleagues = tuple(replace(s, months_co_working_same_unit=2) for s in sponsors)
    cmd = c.RecordSponsors(**at(state, date(2021, 5, 10)), sponsors=letters(new_colleagues))
    assert handle(state, cmd, calendar, PersonFacts(sponsors=new_colleagues))[0].stage is Stage.SPONSORED


def test_r_dossier_return_goes_back_one_stage_and_drops_that_stage_papers(
    sponsored: PersonState, calendar: WorkingCalendar
) -> None:
    cmd = c.ReturnDossier(**at(sponsored, date(2021, 5, 12), "school-committee"), reason="Thiếu chữ ký")
    state, events = handle(sponsored, cmd, calendar)
    assert events == [
        DossierReturned(
            rule_set="qd24-2021", from_stage=Stage.SPONSORED, to_stage=Stage.VERIFIED, reason="Thiếu chữ ký"
        )
    ]
    assert state.stage is Stage.VERIFIED and state.file is not None and state.file.sponsors == ()


def test_r_dossier_return_refused_when_the_rule_set_disables_it(
    sponsored: PersonState, calendar: WorkingCalendar
) -> None:
    cmd = c.ReturnDossier(**at(sponsored, date(2021, 5, 12)), reason="Thiếu chữ ký")
    with pytest.raises(RuleViolation, match=r"^R-DOSSIER-RETURN:"):
        decide(sponsored, cmd, calendar, rules=replace(QD24_2021, dossier_return_enabled=False))


def test_r_dossier_return_needs_a_reason(sponsored: PersonState, calendar: WorkingCalendar) -> None:
    with pytest.raises(InvalidCommand, match=r"^reason:"):
        decide(sponsored, c.ReturnDossier(**at(sponsored, date(2021, 5, 12)), reason=" \n "), calendar)


def test_r_stage_order_nothing_to_return_from_the_source_pool(
    nominated: PersonState, calendar: WorkingCalendar
) -> None:
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:"):
        decide(nominated, c.ReturnDossier(**at(nominated, date(2021, 3, 2)), reason="x"), calendar)


def test_a_withdrawn_candidate_may_be_listed_again(
    sponsored: PersonState, calendar: WorkingCalendar, citizen_id: str, particulars: Particulars, helper: PersonFacts
) -> None:
    state = handle(
        sponsored, c.WithdrawCandidate(**at(sponsored, date(2021, 5, 11)), reason="Chuyển công tác"), calendar
    )[0]
    assert (state.stage, state.file) == (Stage.WITHDRAWN, None)
    again = c.NominateCandidate(
        **at(state, date(2022, 1, 5)),
        citizen_id=citizen_id,
        particulars=particulars,
        helper_id="member-1",
        resolution_ref="NQ 1",
    )
    state = handle(state, again, calendar, helper)[0]
    assert state.stage is Stage.SOURCE_POOL and state.file is not None and state.file.certificate_issued_on is None


def test_particulars_may_be_updated_but_stay_nfc(
    nominated: PersonState, calendar: WorkingCalendar, particulars: Particulars
) -> None:
    better = replace(
        particulars, full_name=unicodedata.normalize("NFD", "Nguyễn Văn An"), education=EducationLevel.MASTER
    )
    state = handle(nominated, c.UpdateParticulars(**at(nominated, date(2021, 3, 2)), particulars=better), calendar)[0]
    assert state.particulars is not None and state.particulars.education is EducationLevel.MASTER
    assert state.particulars.full_name == "Nguyễn Văn An"
