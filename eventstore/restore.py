"""Writing rows exactly as exported into an empty log: same positions, clocks, hashes and seals.

Only for a log with no events (a restore, never a merge): each adapter's `EventStore.restore` refuses any
other with `NotEmpty`. On PostgreSQL, positions follow transaction ids (`(xid + offset) × 1024 + n`); a fresh
cluster's ids start low again, so the restore raises `log_position_offset` until every new position lands
above the restored ones (I4 keeps holding).
"""

from __future__ import annotations

from collections.abc import Iterable

from .envelope import RecordedEvent
from .errors import NotEmpty
from .store import EventStore, RestoredSeals

__all__ = ["NotEmpty", "restore"]


def restore(
    store: EventStore, events: Iterable[RecordedEvent], seals: RestoredSeals, batch: int = 2000, *, atomic: bool = True
) -> int:
    """Insert every event and seal in one transaction; returns the number of events written.

    `atomic=False` (PostgreSQL) commits every batch instead: for generated logs on a shared server, where one
    transaction of minutes would hold back every database's horizon (I4) for as long; a failure then leaves
    a partial log behind, so an import of a file an auditor hands over always stays atomic.
    """
    return store.restore(events, seals, batch_size=batch, atomic=atomic)
