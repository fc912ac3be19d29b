"""The line `partyledger seal` prints is exactly what `verify --seal` takes, and so is a receipt (I7)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventstore.store import Seal
from services.audit.receipts import Receipt, parse_receipt, read_receipt, receipt_bytes, write_receipt
from services.audit.verifying import KEPT_SEAL_PATTERN, KeptSeal

seals = st.builds(
    Seal,
    seal_number=st.integers(1, 2**62),
    up_to_position=st.integers(1, 2**62),
    event_count=st.integers(1, 2**40),
    prev_seal_hash=st.binary(min_size=32, max_size=32),
    seal_hash=st.binary(min_size=32, max_size=32),
    sealed_at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)),
    signature=st.none() | st.binary(min_size=64, max_size=64),
    timestamp=st.none() | st.binary(min_size=1, max_size=200),
)


@given(seals)
def test_the_printed_line_parses_back_to_its_seal(seal: Seal) -> None:
    kept = KeptSeal.parse(seal.printable())
    assert (kept.seal_hash, kept.up_to_position, kept.seal_number) == (
        seal.seal_hash,
        seal.up_to_position,
        seal.seal_number,
    )
    assert KeptSeal.parse(f"  {seal.printable()}\n") == kept  # as copied from a terminal


@given(seals)
def test_the_short_form_still_parses(seal: Seal) -> None:
    kept = KeptSeal.parse(f"{seal.seal_hash.hex()}@{seal.up_to_position}")
    assert (kept.seal_hash, kept.up_to_position, kept.seal_number) == (seal.seal_hash, seal.up_to_position, None)


@given(seals, st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))
def test_a_receipt_reads_back_as_written(seal: Seal, key_id: str | None) -> None:
    authority = "http://tsa.example/" if seal.timestamp else None
    written = Receipt(seal, key_id, authority)
    assert parse_receipt(receipt_bytes(written)) == written


@pytest.mark.parametrize(
    "text",
    [
        "",
        "seal 1 · position 5 · 2026-12-07 04:00:00 UTC · sha256 abc",
        "seal x · position 5 · 2026-12-07 04:00:00 UTC · sha256 " + "a" * 64,
        "a" * 64,
        "a" * 63 + "@5",
        "a" * 64 + "@-1",
    ],
)
def test_other_text_is_refused_naming_the_forms(text: str) -> None:
    with pytest.raises(ValueError, match="the line `partyledger seal` prints"):
        KeptSeal.parse(text)


def test_a_file_that_is_not_a_receipt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seal.json"
    path.write_text('{"format": "something else"}')
    with pytest.raises(ValueError, match="is not a seal receipt"):
        read_receipt(path)
    write_receipt(path, Receipt(Seal(1, 2, 2, bytes(32), bytes(32), datetime.now(UTC))))
    assert read_receipt(path).seal.up_to_position == 2


@given(st.from_regex(KEPT_SEAL_PATTERN))
def test_whatever_the_api_document_lets_through_the_parser_takes(text: str) -> None:
    """One grammar: the OpenAPI pattern of `GET /audit/seals/check` is the parser's own, so no text the
    document accepts is refused (or misread) after it."""
    kept = KeptSeal.parse(text)
    assert kept.seal_hash.hex() in text.lower()
    assert str(kept.up_to_position) in text
