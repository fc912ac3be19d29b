"""The hash input (I7) is the canonical JSON of the whole envelope: the template the writer and the verifiers
fill, and the quoting of ids taken as the database's bytes, must give exactly those bytes."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from eventstore.canonical import canonical_json, envelope_digest, format_recorded_at, json_string

TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20)
JSON = st.dictionaries(TEXT, st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT, max_size=4)


@given(TEXT)
def test_an_id_quoted_from_its_bytes_is_its_canonical_json(text: str) -> None:
    assert json_string(text.encode()) == canonical_json(text)


@given(
    TEXT,
    st.integers(1, 2**31 - 1),
    TEXT,
    TEXT,
    st.integers(1, 2**31 - 1),
    JSON,
    JSON,
    st.dates(date(1900, 1, 1), date(2200, 12, 31)),
    st.datetimes(datetime(1970, 1, 1), datetime(2200, 1, 1), timezones=st.just(UTC)),
    st.none() | TEXT,
)
def test_the_envelope_digest_hashes_the_canonical_envelope(
    stream_id: str,
    stream_version: int,
    unit_id: str,
    event_type: str,
    schema_version: int,
    data: dict[str, Any],
    metadata: dict[str, Any],
    occurred_on: date,
    recorded_at: datetime,
    also_unit_id: str | None,
) -> None:
    envelope: dict[str, Any] = {
        "stream_id": stream_id,
        "stream_version": stream_version,
        "unit_id": unit_id,
        "event_type": event_type,
        "schema_version": schema_version,
        "data": data,
        "metadata": metadata,
        "occurred_on": occurred_on.isoformat(),
        "recorded_at": format_recorded_at(recorded_at),
    }
    if also_unit_id is not None:
        envelope["also_unit_id"] = also_unit_id

    digest = envelope_digest(
        canonical_json(data),
        canonical_json(metadata),
        stream_id=stream_id,
        stream_version=stream_version,
        unit_id=unit_id,
        event_type=event_type,
        schema_version=schema_version,
        occurred_on=occurred_on,
        recorded_at=recorded_at,
        also_unit_id=also_unit_id,
    )

    assert digest == hashlib.sha256(canonical_json(envelope)).digest()
