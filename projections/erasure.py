"""A person's rows forgotten when their personal data is erased (R-PRIVACY-ERASE; I13; issue 20 item 3).

Every read model keys a person's rows by the person's stream id (`f:<stream id>`, `m:<stream id>`,
`d:<stream id>:<clock>`, `p:<stream id>`: `row_kinds.ROWS`), so one rule forgets them all, in the runner and in
the auditors' replays alike, and a rebuild ends where live did (I6). A row that lists people by stream id (the
year's exits) keeps the entry with its name blanked. Counts (funnel, members, statistics) are rows of their own,
untouched: the aggregates stay right.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from domain.person.erasure import PersonalDataErased
from domain.privacy import ERASED_TEXT

from .base import Applied
from .rows import UnitRows

ERASURE_EVENT: Final = PersonalDataErased.event_type
NAME_FIELDS: Final = frozenset({"full_name"})
"""What an entry naming a person in another row's list holds of them besides the stream id (`ExitEntry`)."""


def forget_erased(rows: UnitRows, applied: Iterable[Applied]) -> None:
    """Delete the rows of every person erased by one of these events (an erased file has no later event), and
    blank their name in the lists other rows keep of people (the year's exits: the entry and its count stay)."""
    for item in applied:
        if item.envelope.event_type == ERASURE_EVENT:
            stream_id = item.envelope.stream_id
            for key in [key for key, _ in rows.items() if stream_id in key]:
                rows.delete(key)
            for key, row in [(key, row) for key, row in rows.items() if _blank_entries(row, stream_id)]:
                rows.put(key, row)


def _blank_entries(value: Any, stream_id: str) -> bool:
    """Replace the names in every entry (at any depth) that names this stream; whether any was found."""
    found = False
    if isinstance(value, dict):
        if value.get("stream_id") == stream_id:
            for name in NAME_FIELDS & value.keys():
                value[name] = ERASED_TEXT
            return True
        for inner in value.values():
            found = _blank_entries(inner, stream_id) or found
    elif isinstance(value, list):
        for inner in value:
            found = _blank_entries(inner, stream_id) or found
    return found
