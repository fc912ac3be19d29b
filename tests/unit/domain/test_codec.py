"""The codec's two ways in: parsed dictionaries (deciders, auditors) and stored JSON (read models) agree."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.codec import EVENTS, EventCodec, InvalidEventData
from domain.person.events import VerificationOpened

CODEC = EventCodec()


class Kind(enum.StrEnum):
    OFFICIAL = "official"
    PROBATIONARY = "probationary"


@dataclass(frozen=True)
class Sponsor:
    member_id: str
    since: date


@CODEC.register
@dataclass(frozen=True)
class Filed:
    event_type: ClassVar[str] = "Filed"
    schema_version: ClassVar[int] = 2
    person_id: str
    kind: Kind
    on: date
    sponsors: tuple[Sponsor, ...]
    score: int | None = None


@CODEC.upcaster("Filed", from_version=1)
def _kind_from_flag(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: v for k, v in data.items() if k != "official"},
        "kind": "official" if data["official"] else "probationary",
    }


filed = st.builds(
    Filed,
    person_id=st.text(min_size=1, max_size=12),
    kind=st.sampled_from(Kind),
    on=st.dates(),
    sponsors=st.lists(st.builds(Sponsor, st.text(max_size=8), st.dates()), max_size=3).map(tuple),
    score=st.none() | st.integers(-(2**40), 2**40),
)


@given(filed)
def test_stored_json_decodes_to_the_same_event_as_its_parsed_dictionary(event: Filed) -> None:
    event_type, version, data = CODEC.encode(event)
    stored = msgspec.json.encode(data)

    assert CODEC.decode_json(event_type, version, stored) == CODEC.decode(event_type, version, data) == event
    assert CODEC.decode_json(event_type, version, stored.decode()) == event  # SQLite hands back text


def test_old_stored_json_is_upcast_first() -> None:
    stored = b'{"person_id":"p-1","official":true,"on":"2024-05-19","sponsors":[]}'

    assert CODEC.decode_json("Filed", 1, stored) == Filed("p-1", Kind.OFFICIAL, date(2024, 5, 19), ())


@pytest.mark.parametrize(
    "stored",
    [
        b'{"kind":"official","on":"2024-05-19","sponsors":[]}',  # no person_id
        b'{"person_id":"p-1","kind":"honorary","on":"2024-05-19","sponsors":[]}',
        b'{"person_id":"p-1","kind":"official","on":"19/05/2024","sponsors":[]}',
    ],
)
def test_json_that_does_not_fit_the_class_is_refused_by_name(stored: bytes) -> None:
    """The runner parks the unit's read models on it, naming the event type (a poison event)."""
    with pytest.raises(InvalidEventData, match="'Filed'"):
        CODEC.decode_json("Filed", 2, stored)


def test_a_verification_recorded_before_years_of_birth_were_asked_still_decodes_both_ways() -> None:
    """Events stored before `VerificationSubject.birth_year` existed carry no such key: they read as None,
    through the dictionary and the stored-JSON paths alike (no upcaster: same schema version)."""
    old = {"rule_set": "qd24-2021", "subjects": [{"relation": "father", "full_name": "Nguyễn Văn Bình"}]}
    version = EVENTS.current_version("VerificationOpened")

    parsed = EVENTS.decode("VerificationOpened", version, old)
    stored = EVENTS.decode_json("VerificationOpened", version, msgspec.json.encode(old))

    assert isinstance(parsed, VerificationOpened) and parsed == stored
    assert parsed.subjects[0].birth_year is None and parsed.subjects[0].full_name == "Nguyễn Văn Bình"
