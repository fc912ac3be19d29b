"""Rows are written as JSON by one encoder on both databases; a date or time held as `Iso` is written as its
`isoformat()`, byte for byte what the rows written before it held (so digests still compare, I6)."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone
from zoneinfo import ZoneInfo

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.particulars import Sex
from projections import unit_activity
from projections.rows import Iso, row_json
from tests.unit.projections.people import NAMES, Ledger, Person

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=7)), ZoneInfo("Asia/Ho_Chi_Minh"), ZoneInfo("Etc/UTC")])


@given(st.datetimes(timezones=ZONES) | st.dates())
def test_an_iso_value_is_written_as_its_isoformat(value: date) -> None:
    assert row_json({"at": Iso(value)}) == row_json({"at": value.isoformat()})


def test_a_row_holding_something_json_cannot_say_is_refused_by_name() -> None:
    with pytest.raises(NotImplementedError, match="cannot hold complex"):
        row_json({"ratio": complex(1, 2)})


def test_the_last_step_row_shows_the_last_event_of_the_unit() -> None:
    ledger = Ledger()
    Person(ledger, 1, NAMES[0], Sex.FEMALE, date(1996, 4, 4), "cb-a").to_ceremony(date(2021, 2, 1))
    rows = ledger.build(unit_activity)["cb-a"]
    final = [item.envelope for item in ledger.log if "cb-a" in (item.envelope.unit_id, item.envelope.also_unit_id)][-1]
    assert msgspec.json.decode(row_json(rows.get("last"))) == {
        "position": final.position,
        "event_type": final.event_type,
        "occurred_on": final.occurred_on.isoformat(),
        "recorded_at": final.recorded_at.isoformat(),
    }
