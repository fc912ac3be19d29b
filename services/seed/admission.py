"""A file's steps from the source pool to the admission decision (DOMAIN.md §2.1–§2.8), as officers take them.

Each function takes the one step the file's stage calls for on `on`, with facts read from the desk. When a
step cannot be taken yet (a cell without three official members, no sponsor who has worked a year with the
candidate) it takes none, and the journey tries again later.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from domain.errors import RuleViolation
from domain.particulars import age_in_full_years
from domain.person import commands as c
from domain.person.facts import PersonFacts, SponsorFacts
from domain.person.values import RejectionLevel, Relation, SponsorLetter, VerificationSubject
from domain.rules.dossier import check_papers_stale
from domain.rules.registry import rules_in_force
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind
from services.seed.desk import Desk, Person
from services.seed.facts import cell_facts, competent, decider_facts, is_official, sponsor_of, union_of
from services.seed.fates import Outcome
from services.seed.papers import REJECT_REASONS, body_abbreviation, numbered, vi_date
from services.seed.population import Profile

QUORUM = 3


def at(person: Person, on: date, unit_id: str | None = None) -> dict[str, Any]:
    """The fields every command carries: the person's stream, the paper's date, the acting unit."""
    return {"person_id": person.person_id, "occurred_on": on, "acting_unit_id": unit_id or person.state.cell_id}


def cell_of(person: Person) -> str:
    assert person.state.cell_id is not None
    return person.state.cell_id


def votes(desk: Desk, denominator: int, against: bool = False) -> tuple[int, int]:
    """(yes, no) of a round that reaches two-thirds one way: a few absent, now and then one dissent."""
    needed = math.ceil(2 * denominator / 3)
    slack = denominator - needed
    dissent = min(slack, 1 if desk.rng.random() < 0.15 else 0)
    absent = desk.rng.randint(0, max(0, slack - dissent)) // 2
    majority = denominator - dissent - absent
    return (dissent, majority) if against else (majority, dissent)


def committee_yes(desk: Desk, size: int) -> int:
    return size - desk.rng.randint(0, size - math.ceil(2 * size / 3))


def train(desk: Desk, person: Person, on: date) -> None:
    """§2.2: the awareness class ended a few days before the certificate is recorded."""
    issued = max(on - timedelta(days=desk.rng.randint(0, 6)), person.state.last_step_on or on)
    ref = f"Giấy chứng nhận số {desk.rng.randint(10, 990)}/GCN-TTCT ngày {vi_date(issued)}"
    desk.command(person, c.RecordTrainingCertificate(**at(person, on), certificate_ref=ref, issued_on=issued))


def apply(desk: Desk, person: Person, on: date) -> None:
    """§2.3: the handwritten application (1-KNĐ)."""
    desk.command(person, c.SubmitApplication(**at(person, on), application_ref=f"Đơn xin vào Đảng ngày {vi_date(on)}"))


def verify(desk: Desk, person: Person, on: date) -> None:
    """§2.3–§2.4: background form, then the check of the candidate and close relatives, then certification."""
    file = person.state.file
    assert file is not None and person.state.particulars is not None
    if file.background_form_ref is None:
        form = "Lý lịch của người xin vào Đảng (mẫu 2-KNĐ)"
        desk.command(person, c.SubmitBackgroundForm(**at(person, on), form_ref=form))
    elif not file.verification_opened:
        desk.command(person, c.OpenVerification(**at(person, on), subjects=_subjects(desk, person, on)))
    elif pending := file.pending_results():
        relation, name = pending[0].split(":", 1)
        ref = numbered(desk.rng, "CV", "ĐU", on, "về kết quả thẩm tra lý lịch")
        command = c.RecordVerificationResult(
            **at(person, on), relation=Relation(relation), full_name=name, result_ref=ref
        )
        desk.command(person, command)
    else:
        desk.command(person, c.CertifyVerification(**at(person, on)))


def _subjects(desk: Desk, person: Person, on: date) -> tuple[VerificationSubject, ...]:
    """The candidate, both parents and, for most over 26, a spouse; a relative who is a member is exempt."""
    particulars = person.state.particulars
    assert particulars is not None
    family = particulars.full_name.split()[0]
    rng = desk.rng
    father = f"{family} {rng.choice(('Văn', 'Đức', 'Quang', 'Xuân'))} {rng.choice(('Bình', 'Tâm', 'Hải', 'Sinh'))}"
    mother = f"{rng.choice(('Nguyễn', 'Trần', 'Lê', 'Hoàng'))} Thị {rng.choice(('Hà', 'Lý', 'Nhung', 'Thơm'))}"
    relatives = [(Relation.FATHER, father), (Relation.MOTHER, mother)]
    if age_in_full_years(particulars.date_of_birth, on) > 26 and rng.random() < 0.7:
        relatives.append(
            (Relation.SPOUSE, f"{rng.choice(('Đỗ', 'Vũ', 'Phạm', 'Bùi'))} Minh {rng.choice(('An', 'Thư'))}")
        )
    subjects = [VerificationSubject(relation=Relation.SELF, full_name=particulars.full_name)]
    for relation, name in relatives:
        exempt = "Là đảng viên, có lý lịch lưu tại chi bộ" if rng.random() < 0.2 else None
        subjects.append(VerificationSubject(relation=relation, full_name=name, exempt_reason=exempt))
    return tuple(subjects)


def sponsor(desk: Desk, person: Person, on: date) -> None:
    """§2.5 R-SPONSORS, R-SPONSOR-COWORK: two official members of a year's standing, or one and a union."""
    chosen = _sponsors(desk, person, on)
    if chosen is None:
        return
    letters = tuple(
        SponsorLetter(sponsor_id=f.sponsor_id, kind=f.kind, document_ref=_letter(desk, f, on)) for f in chosen
    )
    desk.command(person, c.RecordSponsors(**at(person, on), sponsors=letters), PersonFacts(sponsors=chosen))


def _sponsors(desk: Desk, person: Person, on: date) -> tuple[SponsorFacts, ...] | None:
    file, particulars, cell = person.state.file, person.state.particulars, cell_of(person)
    assert file is not None and particulars is not None
    youth = age_in_full_years(particulars.date_of_birth, on) <= rules_in_force(on).youth_max_age_years
    union = None
    if youth and desk.rng.random() < 0.55:
        union = SponsorKind.YOUTH_UNION
    elif desk.plan_of(cell).profile is Profile.ENTERPRISE and desk.rng.random() < 0.25:
        union = SponsorKind.TRADE_UNION
    facts = [sponsor_of(p, person, on) for p in desk.officials(cell, exclude=person.person_id)]
    eligible = [f for f in facts if file.cowork_waived or f.months_co_working_same_unit >= 12]
    if union is None and youth and len(eligible) == 1:
        union = SponsorKind.YOUTH_UNION
    needed = 2 - (union is not None)
    if len(eligible) < needed:
        return None
    chosen = desk.rng.sample(eligible, needed)
    return tuple(chosen) + ((union_of(cell, union),) if union is not None else ())


def _letter(desk: Desk, facts: SponsorFacts, on: date) -> str:
    if facts.kind is SponsorKind.YOUTH_UNION:
        return numbered(desk.rng, "NQ", "ĐTN", on, "giới thiệu đoàn viên ưu tú vào Đảng")
    if facts.kind is SponsorKind.TRADE_UNION:
        return numbered(desk.rng, "NQ", "CĐ", on, "giới thiệu đoàn viên công đoàn ưu tú vào Đảng")
    return f"Giấy giới thiệu người vào Đảng (mẫu 3-KNĐ) ngày {vi_date(on)}"


def file_sponsors(desk: Desk, person: Person, on: date) -> tuple[SponsorFacts, ...] | None:
    """The file's sponsors as the log knows them now; None when a letter must be redone (left, or stale)."""
    file = person.state.file
    assert file is not None
    try:
        check_papers_stale(rules_in_force(on), file.sponsored_on, on)
    except RuleViolation:
        return None
    found: list[SponsorFacts] = []
    for letter in file.sponsors:
        if letter.kind is not SponsorKind.MEMBER:
            found.append(SponsorFacts(sponsor_id=letter.sponsor_id, kind=letter.kind))
            continue
        member = desk.people.get(letter.sponsor_id)
        if member is None or not is_official(member):
            return None
        found.append(sponsor_of(member, person, on))
    return tuple(found)


def vote(desk: Desk, person: Person, on: date) -> None:
    """§2.6: the cell votes (R-VOTE-TWOTHIRDS and what it requires), or turns the candidate down (§3)."""
    cell = cell_facts(desk, cell_of(person), on)
    if person.fate.outcome is Outcome.REJECT_CELL:
        reason = desk.rng.choice(REJECT_REASONS)
        desk.command(person, c.RejectCandidate(**at(person, on), level=RejectionLevel.CELL, reason=reason))
        return
    sponsors = file_sponsors(desk, person, on)
    if sponsors is None:
        sponsor(desk, person, on)
        return
    if len(cell.official_member_ids) < QUORUM or cell.denominator < QUORUM:
        return
    yes, no = votes(desk, cell.denominator)
    ref = numbered(desk.rng, "NQ", "CB", on, "đề nghị kết nạp đảng viên")
    command = c.ApproveAtCell(**at(person, on), yes=yes, no=no, resolution_ref=ref)
    desk.command(person, command, PersonFacts(cell=cell, sponsors=sponsors))


def after_vote(desk: Desk, person: Person, on: date) -> None:
    """§2.7: the sub-committee appraises, then the grassroots committee resolves (a grassroots cell goes up)."""
    file = person.state.file
    assert file is not None
    if file.sub_committee_id is not None and not file.sub_committee_appraised:
        ref = numbered(desk.rng, "BC", "ĐU", on, "thẩm định hồ sơ đề nghị kết nạp đảng viên")
        desk.command(person, c.AppraiseAtSubCommittee(**at(person, on, file.sub_committee_id), appraisal_ref=ref))
        return
    if file.grassroots_cell:
        decide(desk, person, on)
        return
    committee = decider_facts(desk, desk.grassroots_of(cell_of(person), on))
    if person.fate.outcome is Outcome.REJECT_COMMITTEE:
        reason = desk.rng.choice(REJECT_REASONS)
        reject = c.RejectCandidate(**at(person, on, committee.unit_id), level=RejectionLevel.COMMITTEE, reason=reason)
        desk.command(person, reject)
        return
    ref = numbered(desk.rng, "NQ", "ĐU", on, "đề nghị kết nạp đảng viên")
    yes = committee_yes(desk, committee.committee_size)
    command = c.ApproveAtCommittee(**at(person, on, committee.unit_id), yes=yes, resolution_ref=ref)
    desk.command(person, command, PersonFacts(decider=committee))


def decide(desk: Desk, person: Person, on: date) -> None:
    """§2.8 R-AUTH-ADMIT, R-DECIDE-DEADLINE: the competent body extends once, decides, or turns down."""
    file, fate = person.state.file, person.fate
    assert file is not None and file.decision_deadline is not None
    body = competent(desk, cell_of(person), on)
    unit = desk.tree.as_of(on).require(body.unit_id)
    if fate.extend_decision and file.decision_deadline.extensions_left and on <= file.decision_deadline.due_on:
        fate.extend_decision = False
        extend = c.ExtendDecisionDeadline(
            **at(person, on, body.unit_id),
            extra_working_days=desk.rng.randint(10, 30),
            reason="Cần thêm thời gian xác minh, bổ sung hồ sơ",
        )
        desk.command(person, extend)
        return
    delegated = body.kind is UnitKind.GRASSROOTS_COMMITTEE and body.admission_delegated
    in_favour = committee_yes(desk, body.committee_size) if delegated else None
    if fate.outcome in (Outcome.REJECT_DECIDER, Outcome.REJECT_COMMITTEE):
        reason = desk.rng.choice(REJECT_REASONS)
        command: c.PersonCommand = c.RejectCandidate(
            **at(person, on, body.unit_id), level=RejectionLevel.DECIDER, reason=reason, votes_in_favour=in_favour
        )
    else:
        ref = numbered(desk.rng, "QĐ", body_abbreviation(unit), on, "về việc kết nạp đảng viên")
        command = c.DecideAdmission(**at(person, on, body.unit_id), decision_ref=ref, votes_in_favour=in_favour)
    desk.command(person, command, PersonFacts(decider=body))
