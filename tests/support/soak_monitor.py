"""How long an acknowledged command takes to show in the read models of its unit (projection lag)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import psycopg

from eventstore import open_store
from projections.engine import projection_engine
from projections.registry import PROJECTIONS
from projections.sweep import lag
from tests.support.soak_faults import MONITOR_APP
from tests.support.soak_load import Command, Officer

LIVE = ", ".join(f"('{p.name}', {p.version})" for p in PROJECTIONS)
LOWEST = (
    "SELECT unit_id, min(position) FROM projection_checkpoints "
    f"WHERE (projection, version) IN ({LIVE}) GROUP BY unit_id"
)


def units_lagging(url: str) -> dict[str, int]:
    """Each unit some projection of which has not applied the unit's last event, with how far it is behind."""
    store, engine = open_store(url, create=False), projection_engine(url)
    try:
        return {unit: n for unit, n in lag(engine, store, PROJECTIONS).items() if n}
    finally:
        store.close()
        engine.dispose()


def caught_up(url: str) -> bool:
    """Every unit's every projection has applied the unit's last event."""
    return not units_lagging(url)


def behind(url: str) -> str:
    """What still lags, for a failed catch-up's message: each unit's checkpoints below its head, parked or not."""
    late = units_lagging(url)
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT unit_id, projection, position, parked_position, left(parked_error, 200) "
            "FROM projection_checkpoints WHERE unit_id = ANY(%s) ORDER BY unit_id, position",
            [list(late)],
        ).fetchall()
    lines = [f"{len(late)} units behind: {dict(sorted(late.items())[:10])}", *(str(row) for row in rows[:20])]
    return "\n".join(lines)


class LagMonitor(threading.Thread):
    """Polls the units' lowest checkpoints and times each acknowledged command until its unit reaches it."""

    def __init__(self, url: str, officers: Sequence[Officer]) -> None:
        super().__init__(name="lag-monitor", daemon=True)
        self.url, self.officers = url, officers
        self.lags: list[float] = []
        self._pending: list[Command] = []
        self._taken = [0] * len(officers)
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)
        self._poll_once()  # the final catch-up resolves what is left

    def max_lag(self) -> float:
        unresolved = [time.monotonic() - c.acked_at for c in self._pending if c.acked_at is not None]
        return max([*self.lags, *unresolved], default=0.0)

    def run(self) -> None:
        while not self._stopping.is_set():
            self._poll_once()
            time.sleep(0.1)

    def _poll_once(self) -> None:
        for index, officer in enumerate(self.officers):
            fresh = officer.acknowledged[self._taken[index] :]
            self._taken[index] += len(fresh)
            self._pending.extend(fresh)
        try:
            with psycopg.connect(f"{self.url}?application_name={MONITOR_APP}", autocommit=True) as connection:
                reached = {str(u): int(p) for u, p in connection.execute(LOWEST).fetchall()}
        except psycopg.Error:
            return  # the database is being broken on purpose; try again shortly
        now, left = time.monotonic(), []
        for command in self._pending:
            assert command.acked_at is not None and command.position is not None
            if reached.get(command.unit, 0) >= command.position:
                self.lags.append(now - command.acked_at)
            else:
                left.append(command)
        self._pending = left
