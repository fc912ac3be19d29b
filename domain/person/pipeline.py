"""Decisions from the source pool to sponsorship (DOMAIN.md §2.1–§2.5): each checks, then returns events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand
from domain.identity import check_citizen_id_agrees, parse_citizen_id
from domain.particulars import Particulars, age_in_full_years
from domain.person import commands as c
from domain.person import events as ev
from domain.person.facts import PersonFacts, SponsorFacts
from domain.person.guards import (
    check_helper,
    check_readmission,
    check_step,
    file_of,
    particulars_of,
    refuse_order,
)
from domain.person.records import PersonState
from domain.person.stages import BEFORE_VOTE, MAY_OPEN_FILE, Stage
from domain.person.values import BIRTH_YEAR_FLOOR, Relation, SponsorLetter, VerificationSubject, clean_text
from domain.rules.base import RuleSet
from domain.rules.dossier import check_verify_complete
from domain.rules.sponsors import check_sponsor_cowork, check_sponsors

Events = list[ev.PersonEvent]


def _check_identity(state: PersonState, citizen_id: str, particulars: Particulars) -> str:
    """The number fits the particulars and the stream: a typo must not attach a file to a stranger.

    A stream that already carries a number keeps it; a new stream's id was found for this number by the
    service's keyed index (services/commands/person_ids.py), which the domain cannot recompute (no key)."""
    citizen = parse_citizen_id(citizen_id)
    check_citizen_id_agrees(citizen, sex=particulars.sex, date_of_birth=particulars.date_of_birth)
    if state.citizen_id is not None and state.citizen_id != citizen.value:
        raise InvalidCommand(
            "citizen_id", "does not belong to this person's stream", "không khớp với hồ sơ của người này"
        )
    return citizen.value


def nominate_candidate(
    state: PersonState,
    cmd: c.NominateCandidate,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.1: the cell lists a candidate with an official helper; one open file at most; R-READMIT."""
    check_step(state, cmd, MAY_OPEN_FILE)
    citizen_id = _check_identity(state, cmd.citizen_id, cmd.particulars)
    check_helper(facts, cmd.helper_id, cmd.person_id)
    readmission = state.was_official_member
    if readmission:
        check_readmission(state, rules, facts, deciding_on=None)
    return [
        ev.CandidateNominated(
            rule_set=rules.rule_set_id,
            citizen_id=citizen_id,
            particulars=cmd.particulars,
            cell_id=cmd.acting_unit_id,
            helper_id=cmd.helper_id,
            resolution_ref=clean_text(cmd.resolution_ref, "resolution_ref"),
            readmission=readmission,
        )
    ]


def update_particulars(
    state: PersonState,
    cmd: c.UpdateParticulars,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """Particulars change (a diploma, a corrected name) but never contradict the identity number."""
    check_step(state, cmd, set(Stage) - {Stage.NEW})
    _check_identity(state, state.citizen_id or "", cmd.particulars)
    return [ev.ParticularsUpdated(rule_set=rules.rule_set_id, particulars=cmd.particulars)]


def record_training_certificate(
    state: PersonState,
    cmd: c.RecordTrainingCertificate,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.2: a certificate joins the file or replaces a stale one (R-TRAIN-VALID is checked at the vote)."""
    check_step(state, cmd, BEFORE_VOTE)
    if cmd.issued_on > cmd.occurred_on:
        raise InvalidCommand(
            "issued_on", "is after the day the certificate was recorded", "sau ngày ghi nhận giấy chứng nhận"
        )
    return [
        ev.AwarenessTrainingCertified(
            rule_set=rules.rule_set_id,
            certificate_ref=clean_text(cmd.certificate_ref, "certificate_ref"),
            issued_on=cmd.issued_on,
        )
    ]


def submit_application(
    state: PersonState,
    cmd: c.SubmitApplication,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.3: the handwritten application (1-KNĐ), after the awareness class."""
    check_step(state, cmd, {Stage.TRAINED})
    ref = clean_text(cmd.application_ref, "application_ref")
    return [ev.ApplicationSubmitted(rule_set=rules.rule_set_id, application_ref=ref)]


def submit_background_form(
    state: PersonState,
    cmd: c.SubmitBackgroundForm,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.3: the background form (2-KNĐ) comes after the application, before verification starts."""
    check_step(state, cmd, {Stage.APPLIED})
    if file_of(state).verification_opened:
        raise refuse_order(cmd, "verification has already started", "đã bắt đầu thẩm tra lý lịch")
    return [ev.BackgroundFormSubmitted(rule_set=rules.rule_set_id, form_ref=clean_text(cmd.form_ref, "form_ref"))]


def _check_birth_years(subjects: Sequence[VerificationSubject], paper_on: date) -> None:
    """A year of birth is plausible: not after the paper's year, not before BIRTH_YEAR_FLOOR (a typo otherwise).
    The message counts the person in the list and never repeats a name (no personal data in refusals)."""
    for place, subject in enumerate(subjects, start=1):
        year = subject.birth_year
        if year is not None and not BIRTH_YEAR_FLOOR <= year <= paper_on.year:
            raise InvalidCommand(
                "subjects",
                f"person {place}: birth_year {year} is not between {BIRTH_YEAR_FLOOR} and the paper's year"
                f" {paper_on.year}",
                f"năm sinh {year} của người thứ {place} trong danh sách không hợp lệ: phải từ {BIRTH_YEAR_FLOOR}"
                f" đến {paper_on.year} (năm của văn bản)",
            )


def _check_subjects(subjects: Sequence[VerificationSubject], paper_on: date) -> None:
    _check_birth_years(subjects, paper_on)
    selves = [s for s in subjects if s.relation is Relation.SELF]
    if len(selves) != 1 or selves[0].exempt_reason is not None:
        raise InvalidCommand(
            "subjects",
            "must name the candidate once, never exempt",
            "phải có đúng một người vào Đảng, không miễn",
        )
    if len({s.key for s in subjects}) != len(subjects):
        raise InvalidCommand("subjects", "names a person twice", "một người bị kê hai lần")


def open_verification(
    state: PersonState, cmd: c.OpenVerification, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """§2.4: verify the candidate and close relatives; exempt relatives carry their reason."""
    check_step(state, cmd, {Stage.APPLIED})
    if file_of(state).background_form_ref is None:
        raise refuse_order(cmd, "the background form (2-KNĐ) comes first", "phải có lý lịch (mẫu 2-KNĐ) trước")
    _check_subjects(cmd.subjects, cmd.occurred_on)
    return [ev.VerificationOpened(rule_set=rules.rule_set_id, subjects=cmd.subjects)]


def record_verification_result(
    state: PersonState,
    cmd: c.RecordVerificationResult,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.4: one subject's result; the subject is matched by relation and NFC name."""
    check_step(state, cmd, {Stage.APPLIED})
    key = VerificationSubject(relation=cmd.relation, full_name=cmd.full_name).key
    if key not in {s.key for s in file_of(state).subjects if s.exempt_reason is None}:
        raise InvalidCommand("full_name", f"{key} is not a subject to verify", f"{key} không thuộc diện thẩm tra")
    ref = clean_text(cmd.result_ref, "result_ref")
    return [ev.VerificationResultRecorded(rule_set=rules.rule_set_id, subject_key=key, result_ref=ref)]


def certify_verification(
    state: PersonState,
    cmd: c.CertifyVerification,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.4 R-VERIFY-COMPLETE: certify only once every non-exempt result is in."""
    check_step(state, cmd, {Stage.APPLIED})
    file = file_of(state)
    check_verify_complete(file.verification_opened, file.pending_results())
    return [ev.VerificationCertified(rule_set=rules.rule_set_id, certified_by=cmd.acting_unit_id)]


def sponsor_facts(letters: Sequence[SponsorLetter], facts: PersonFacts) -> list[SponsorFacts]:
    """The facts of each sponsor named in the letters, in the same order and of the same kind."""
    known = {f.sponsor_id: f for f in facts.sponsors}
    found = [known.get(letter.sponsor_id) for letter in letters]
    matched = [f for f, letter in zip(found, letters, strict=True) if f is not None and f.kind is letter.kind]
    if len(matched) != len(letters):
        raise InvalidCommand("facts.sponsors", "must describe every sponsor named", "thiếu thông tin người giới thiệu")
    return matched


def record_sponsors(
    state: PersonState, cmd: c.RecordSponsors, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """§2.5 R-SPONSORS, R-SPONSOR-COWORK (waived after a transfer); letters may be renewed before the vote."""
    check_step(state, cmd, {Stage.VERIFIED, Stage.SPONSORED})
    file = file_of(state)
    sponsors = sponsor_facts(cmd.sponsors, facts)
    age = age_in_full_years(particulars_of(state).date_of_birth, cmd.occurred_on)
    check_sponsors(rules, sponsors, age)
    check_sponsor_cowork(rules, sponsors, file.cowork_waived)
    return [ev.SponsorsRecorded(rule_set=rules.rule_set_id, sponsors=cmd.sponsors, cowork_waived=file.cowork_waived)]
