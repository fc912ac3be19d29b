"""Change the log behind the application's back, on any adapter: what the tamper-evidence contract needs.

On a database it is raw SQL after dropping the append-only triggers (an owner's rights); in memory it is
the rows themselves. Either way the store's own code is bypassed, so only the hashes can tell (I7).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

import msgspec

from eventstore.canonical import canonical_json
from eventstore.memory import MemoryLog
from tests.support.stores import Backdoor


class Tamperer(Protocol):
    def rewrite(self, position: int, **columns: Any) -> None:
        """Set columns of the row at `position` (data and metadata as dicts, dates as dates)."""

    def remove(self, position: int) -> None: ...

    def insert_copy(self, position: int, *, at: int, stream_version: int) -> None:
        """A forged row: the one at `position`, copied to position `at` as version `stream_version`."""


class SqlTamperer:
    def __init__(self, backdoor: Backdoor) -> None:
        self.backdoor = backdoor
        self.armed = False

    def rewrite(self, position: int, **columns: Any) -> None:
        for column, value in columns.items():
            self._execute(f"UPDATE event_log SET {column} = %s WHERE position = %s", (_sql(value), position))

    def remove(self, position: int) -> None:
        self._execute("DELETE FROM event_log WHERE position = %s", (position,))

    def insert_copy(self, position: int, *, at: int, stream_version: int) -> None:
        forged = list(self._execute("SELECT * FROM event_log WHERE position = %s", (position,))[0])
        forged[0], forged[2] = at, stream_version
        marks = ", ".join(["%s"] * len(forged))
        self._execute(f"INSERT INTO event_log VALUES ({marks})", tuple(_sql(value) for value in forged))

    def _execute(self, sql: str, parameters: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """The triggers go only at the first change: what the application wrote before went through them."""
        if not self.armed:
            self.backdoor.disable_append_only()
            self.armed = True
        return self.backdoor.execute(sql, parameters)


def _sql(value: Any) -> Any:
    """JSON as its canonical text and dates as ISO text: what both databases take for those columns."""
    if isinstance(value, dict):
        return canonical_json(value).decode()
    return value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else value


class MemoryTamperer:
    def __init__(self, log: MemoryLog) -> None:
        self.log = log

    def rewrite(self, position: int, **columns: Any) -> None:
        self._replace([msgspec.structs.replace(e, **columns) if e.position == position else e for e in self.log.events])

    def remove(self, position: int) -> None:
        self._replace([e for e in self.log.events if e.position != position])

    def insert_copy(self, position: int, *, at: int, stream_version: int) -> None:
        [original] = [e for e in self.log.events if e.position == position]
        forged = msgspec.structs.replace(original, position=at, stream_version=stream_version)
        self._replace(sorted([*self.log.events, forged], key=lambda e: e.position))

    def _replace(self, events: list[Any]) -> None:
        fresh = MemoryLog()
        for event in events:
            fresh.add(event)
        self.log.events, self.log.positions = fresh.events, fresh.positions
        self.log.streams, self.log.units = fresh.streams, fresh.units
