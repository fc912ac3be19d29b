"""Small values shared by a person's commands and events; free text is NFC-normalised on construction."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from domain.privacy import NotPersonal, Personal, Sensitive, Subject
from domain.rules.sponsors import SponsorKind
from domain.text import normalise_text

TEXT_MAX_LENGTH = 1000
BIRTH_YEAR_FLOOR = 1900
"""The earliest year of birth a relative to verify may have: an earlier one is a typing mistake."""


def clean_text(value: str, field: str) -> str:
    """A reason, reference or name as the ledger stores it: NFC, trimmed, no hidden characters, not empty."""
    return normalise_text(value, field=field, max_length=TEXT_MAX_LENGTH)


class Relation(StrEnum):
    """Whose background is verified (R-VERIFY-COMPLETE): the candidate and close relatives."""

    SELF = "self"
    FATHER = "father"
    MOTHER = "mother"
    GUARDIAN = "guardian"
    FATHER_IN_LAW = "father_in_law"
    MOTHER_IN_LAW = "mother_in_law"
    SPOUSE = "spouse"
    ADULT_CHILD = "adult_child"


@dataclass(frozen=True, kw_only=True)
class VerificationSubject:
    """A person to verify; a relative may be exempt (e.g. already a member) with the reason stated.

    `birth_year` is how the background form (2-KNĐ) tells two relatives of one name apart; optional, since
    events recorded before it was asked carry none (they decode with None, no upcaster needed). Its range is
    judged where the paper's date is known (`pipeline.open_verification`)."""

    relation: Annotated[Relation, Personal.FAMILY_RELATION.of(Subject.RELATIVE)]
    full_name: Annotated[str, Personal.NAME.of(Subject.RELATIVE)]
    birth_year: Annotated[int | None, Personal.BIRTH_DATE.of(Subject.RELATIVE)] = None
    exempt_reason: Annotated[str | None, Sensitive.PARTY_STANDING.of(Subject.RELATIVE)] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "full_name", clean_text(self.full_name, "full_name"))
        if self.exempt_reason is not None:
            object.__setattr__(self, "exempt_reason", clean_text(self.exempt_reason, "exempt_reason"))

    @property
    def key(self) -> str:
        """Relation and NFC name: a name typed decomposed is the same subject."""
        return f"{self.relation}:{self.full_name}"


@dataclass(frozen=True, kw_only=True)
class SponsorLetter:
    """A sponsor's letter, or a union's resolution, vouching for the candidate (R-SPONSORS)."""

    sponsor_id: Annotated[str, Personal.PERSON_ID.of(Subject.SPONSOR)]
    kind: Annotated[SponsorKind, NotPersonal.PROCEDURE]
    document_ref: Annotated[str, Personal.PAPER]

    def __post_init__(self) -> None:
        object.__setattr__(self, "document_ref", clean_text(self.document_ref, "document_ref"))


class RejectionLevel(StrEnum):
    """Who turned a candidate down (DOMAIN.md §3); the cell is notified in every case."""

    CELL = "cell"
    COMMITTEE = "committee"
    DECIDER = "decider"


class TransferKind(StrEnum):
    """R-TRANSFER: an official move of the member's party life, or a temporary one (kept on the home roll)."""

    OFFICIAL = "official"
    TEMPORARY = "temporary"
