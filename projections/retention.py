"""The closed files a unit keeps until their retention period ends (R-PRIVACY-RETAIN; issue 20 item 4).

Rows: `r:<stream id>` → `RetainedRow`, one per person whose file is closed (an outcome, `domain.retention.outcome_of`)
in the unit that holds it — the cell of the file or membership, else the unit of the person's latest event, as
`services.privacy.outcomes.scan_log` reads the log. `closed_on` is the person's `stage_since` (the date of the
paper that closed the file, or after a retraction the one that had). A file reopened (a retraction, an expulsion
overturned on appeal) loses its row; an erased file loses it too (`projections/erasure.py`).

The dashboard's "Hồ sơ hết thời hạn lưu trữ" reads these rows, and judges them with the same rules and the same
function as the daily retention run (`services.privacy.retention_run.due_for_erasure`), which reads the log.
"""

from __future__ import annotations

from typing import Annotated, TypedDict

from domain.privacy import NotPersonal, Personal, Sensitive
from domain.retention import outcome_of

from .base import Applied
from .row_kinds import RowKind
from .rows import UnitRows

name = "retention"
version = 1
event_types: frozenset[str] | None = None
"""Every event: any step may close, reopen, move or rename a file."""


class RetainedRow(TypedDict):
    """A closed file: its outcome (`domain.retention.Outcome` value) and the ISO date it closed on."""

    stream_id: Annotated[str, Personal.PERSON_ID]
    full_name: Annotated[str | None, Personal.NAME]
    stage: Annotated[str, Sensitive.PARTY_STANDING]
    outcome: Annotated[str, Sensitive.PARTY_STANDING]
    closed_on: Annotated[str, NotPersonal.PROCEDURE]


def apply(rows: UnitRows, applied: Applied) -> None:
    person = applied.person
    if person is None:
        return
    key = f"r:{applied.envelope.stream_id}"
    outcome = outcome_of(person)
    unit = person.cell_id or applied.envelope.unit_id
    if outcome is None or person.erased or person.stage_since is None or unit != applied.partition:
        if rows.get(key, RetainedRow) is not None:
            rows.delete(key)
        return
    particulars = person.particulars
    rows.put(
        key,
        {
            "stream_id": applied.envelope.stream_id,
            "full_name": particulars.full_name if particulars is not None else None,
            "stage": str(person.stage),
            "outcome": outcome.value,
            "closed_on": person.stage_since.isoformat(),
        },
    )


ROWS = (RowKind("r:<stream id>", RetainedRow, Personal.PERSON_ID),)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
