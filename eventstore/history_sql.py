"""The auditors' reads in SQL, written once for both SQL adapters.

Statements use `%s` placeholders (the SQLite adapter turns them into `?`); they say which rows, while each
adapter adds its own transaction, planning and horizon. The in-memory adapter answers the same questions in
Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from .canonical import format_recorded_at
from .selection import HistoryFilter

T = TypeVar("T")

POSITION_HASHES_SQL = "SELECT position, hash FROM event_log WHERE position > %s ORDER BY position LIMIT %s"
LINKS_PER_STATEMENT = 200
STREAMS_PER_STATEMENT = 500


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter): statements of bounded length."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def history_where(chosen: HistoryFilter, after_position: int, *, lite: bool) -> tuple[str, list[Any]]:
    """`WHERE …` of one page of `read_history`: the filter's conditions, and positions after `after_position`."""
    clauses: list[str] = []
    values: list[Any] = []
    if chosen.units is not None:
        marks = _marks(len(chosen.units))
        clauses.append(f"(unit_id IN ({marks}) OR also_unit_id IN ({marks}))")
        values += [*chosen.units, *chosen.units]
    if chosen.stream_id is not None:
        clauses.append("stream_id = %s")
        values.append(chosen.stream_id)
    if chosen.event_types:
        clauses.append(f"event_type IN ({_marks(len(chosen.event_types))})")
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
    clauses.append("position > %s")
    values.append(after_position)
    return f"WHERE {' AND '.join(clauses)}", values


def links_where(links: Sequence[tuple[str, int]]) -> tuple[str, list[Any]]:
    """`WHERE …` of the events at these (stream, version) pairs."""
    where = " OR ".join(["(stream_id = %s AND stream_version = %s)"] * len(links))
    return f"WHERE {where}", [value for pair in links for value in pair]


def touching_sql(units: Sequence[str]) -> tuple[str, list[Any]]:
    """The streams with an event filed under, or also naming, one of `units`."""
    marks = _marks(len(units))
    sql = f"SELECT DISTINCT stream_id FROM event_log WHERE unit_id IN ({marks}) OR also_unit_id IN ({marks})"
    return sql, [*units, *units]


def streams_where(streams: Sequence[str]) -> tuple[str, list[Any]]:
    """`WHERE … ORDER BY …` of every event of these streams, stream by stream in version order."""
    return f"WHERE stream_id IN ({_marks(len(streams))}) ORDER BY stream_id, stream_version", list(streams)


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count) or "NULL"


def _param(lite: bool, value: date | datetime) -> Any:
    """SQLite stores both clocks as text whose order is their time order."""
    if not lite:
        return value
    return format_recorded_at(value) if isinstance(value, datetime) else value.isoformat()
