"""A person's rows forgotten when their personal data is erased (R-PRIVACY-ERASE; I13; issue 20 item 3).

Every read model keys a person's rows by the person's stream id (`f:<stream id>`, `m:<stream id>`,
`d:<stream id>:<clock>`, `p:<stream id>`: `row_kinds.ROWS`), so one rule forgets them all, in the runner and in
the auditors' replays alike, and a rebuild ends where live did (I6). Counts (funnel, members, statistics) are
rows of their own, untouched: the aggregates stay right.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from .base import Applied
from .rows import UnitRows

ERASURE_EVENT: Final = "PersonalDataErased"


def forget_erased(rows: UnitRows, applied: Iterable[Applied]) -> None:
    """Delete the rows of every person erased by one of these events (an erased file has no later event)."""
    for item in applied:
        if item.envelope.event_type == ERASURE_EVENT:
            stream_id = item.envelope.stream_id
            for key in [key for key, _ in rows.items() if stream_id in key]:
                rows.delete(key)
