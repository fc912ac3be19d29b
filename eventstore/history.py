"""Reads auditors need beyond the store's own interface: filtered history, chain neighbours, the hash column.

They are written once over both adapters' raw selects (rows exactly as stored, never upcast: an auditor sees
the row its hash covers). History reads every committed event, horizon or not, like `unit_history`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .canonical import format_recorded_at
from .envelope import COLUMNS, RecordedEvent
from .postgres import PostgresEventStore
from .postgres_rows import event_from_row
from .sqlite import SqliteEventStore

AnyStore = PostgresEventStore | SqliteEventStore


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which events: of these units (or any), of one stream, of these types, by one actor, in date ranges on
    either clock (`occurred_*` inclusive dates; `recorded_from` inclusive, `recorded_before` exclusive)."""

    units: Sequence[str] | None = None
    stream_id: str | None = None
    event_types: Sequence[str] | None = None
    actor: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    recorded_from: datetime | None = None
    recorded_before: datetime | None = None
    known_by: tuple[date, datetime] | None = None
    """(d, t): events dated on or before d OR recorded before t — both clocks' answers in one read."""


@dataclass(frozen=True, slots=True)
class PositionHash:
    position: int
    hash: bytes


def _sqlite(store: AnyStore) -> bool:
    return isinstance(store, SqliteEventStore)


def _where(store: AnyStore, chosen: HistoryFilter) -> tuple[list[str], list[Any]]:
    """SQL conditions with `%s` placeholders (SQLite's `?` is substituted by `_select`)."""
    lite = _sqlite(store)
    clauses: list[str] = []
    values: list[Any] = []
    if chosen.units is not None:
        marks = ", ".join(["%s"] * len(chosen.units)) or "NULL"
        clauses.append(f"(unit_id IN ({marks}) OR also_unit_id IN ({marks}))")
        values += [*chosen.units, *chosen.units]
    if chosen.stream_id is not None:
        clauses.append("stream_id = %s")
        values.append(chosen.stream_id)
    if chosen.event_types:
        clauses.append(f"event_type IN ({', '.join(['%s'] * len(chosen.event_types))})")
        values += list(chosen.event_types)
    if chosen.actor is not None:
        clauses.append("json_extract(metadata, '$.actor') = %s" if lite else "metadata->>'actor' = %s")
        values.append(chosen.actor)
    for column, operator, value in (
        ("occurred_on", ">=", chosen.occurred_from),
        ("occurred_on", "<=", chosen.occurred_to),
        ("recorded_at", ">=", chosen.recorded_from),
        ("recorded_at", "<", chosen.recorded_before),
    ):
        if value is not None:
            clauses.append(f"{column} {operator} %s")
            values.append(_param(lite, value))
    if chosen.known_by is not None:
        clauses.append("(occurred_on <= %s OR recorded_at < %s)")
        values += [_param(lite, chosen.known_by[0]), _param(lite, chosen.known_by[1])]
    return clauses, values


def _param(lite: bool, value: date | datetime) -> Any:
    """SQLite stores both clocks as text whose order is their time order."""
    if not lite:
        return value
    return format_recorded_at(value) if isinstance(value, datetime) else value.isoformat()


def _select(
    store: AnyStore, where: str, values: Sequence[Any], *, below_horizon: bool = False, tail: str = ""
) -> list[RecordedEvent]:
    """Rows `WHERE where` (and, on PostgreSQL with `below_horizon`, below the readers' horizon) `tail`."""
    if isinstance(store, SqliteEventStore):
        return store._select_raw(f"{where} {tail}".replace("%s", "?"), tuple(values))
    with store._connection() as connection, connection.transaction():
        # The pool plans generically (right for the append); a filter over a few units must be planned
        # with its values, or it walks the whole log in position order. The horizon is one of them: as a
        # sub-select its value is unknown to the planner, which then scanned the whole position index
        # beside a one-stream index (50 ms instead of 3 for the unit tree's stream).
        connection.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        if below_horizon:
            horizon = connection.execute("SELECT partyledger_horizon()").fetchone()
            where, values = f"{where} AND position < %s", [*values, horizon[0] if horizon else 0]
        cursor = connection.cursor(binary=True)
        rows = cursor.execute(f"SELECT {COLUMNS} FROM event_log {where} {tail}", tuple(values)).fetchall()
    return [event_from_row(row) for row in rows]


def read_history(
    store: AnyStore, chosen: HistoryFilter, *, after_position: int = 0, limit: int = 100
) -> list[RecordedEvent]:
    """One page of matching events after `after_position`, in log order, exactly as stored; on PostgreSQL
    below the horizon, so that a cursor never moves past an event that commits later (I4)."""
    clauses, values = _where(store, chosen)
    clauses.append("position > %s")
    values.append(after_position)
    where = f"WHERE {' AND '.join(clauses)}"
    return _select(store, where, values, below_horizon=True, tail=f"ORDER BY position LIMIT {int(limit)}")


def read_matching(store: AnyStore, chosen: HistoryFilter, batch: int = 20_000) -> list[RecordedEvent]:
    """Every matching event (an "as of" replay of one unit, a person's file)."""
    found: list[RecordedEvent] = []
    while True:
        page = read_history(store, chosen, after_position=found[-1].position if found else 0, limit=batch)
        found += page
        if len(page) < batch:
            return found


def previous_links(store: AnyStore, events: Sequence[RecordedEvent]) -> dict[tuple[str, int], bytes]:
    """(stream, version) → hash of the event before each given one, for chain status on a page."""
    wanted = sorted({(e.stream_id, e.stream_version - 1) for e in events if e.stream_version > 1})
    found: dict[tuple[str, int], bytes] = {}
    for start in range(0, len(wanted), 200):
        chunk = wanted[start : start + 200]
        where = " OR ".join(["(stream_id = %s AND stream_version = %s)"] * len(chunk))
        for event in _select(store, f"WHERE {where}", [value for pair in chunk for value in pair]):
            found[(event.stream_id, event.stream_version)] = event.hash
    return found


def streams_touching(store: AnyStore, units: Sequence[str]) -> list[str]:
    """Streams with at least one event filed under (or also naming) one of `units`."""
    marks = ", ".join(["%s"] * len(units)) or "NULL"
    sql = f"SELECT DISTINCT stream_id FROM event_log WHERE unit_id IN ({marks}) OR also_unit_id IN ({marks})"
    return [str(row[0]) for row in _raw(store, sql, [*units, *units])]


def events_of_streams(store: AnyStore, streams: Sequence[str], batch: int = 500) -> Iterator[RecordedEvent]:
    """Every event of the given streams, stream by stream in version order."""
    for start in range(0, len(streams), batch):
        chunk = streams[start : start + batch]
        marks = ", ".join(["%s"] * len(chunk))
        yield from _select(store, f"WHERE stream_id IN ({marks}) ORDER BY stream_id, stream_version", chunk)


def position_hashes(store: AnyStore, batch: int = 50_000) -> Iterator[PositionHash]:
    """(position, hash) of every event in log order: all a seal binds."""
    after = 0
    while True:
        rows = _raw(
            store, "SELECT position, hash FROM event_log WHERE position > %s ORDER BY position LIMIT %s", [after, batch]
        )
        yield from (PositionHash(int(p), bytes(h)) for p, h in rows)
        if len(rows) < batch:
            return
        after = int(rows[-1][0])


def _raw(store: AnyStore, sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    if isinstance(store, SqliteEventStore):
        with store._connection() as lite:
            return list(lite.execute(sql.replace("%s", "?"), tuple(values)).fetchall())
    with store._connection() as connection, connection.transaction():
        connection.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        return list(connection.execute(sql, tuple(values)).fetchall())
