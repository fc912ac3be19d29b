"""The whole log, row by row as stored, as fast as each database can stream it: what verify reads.

PostgreSQL reads pages by position in short statements of their own: one server-side cursor over the whole
log would hold one snapshot for minutes, and with it the cluster-wide xmin, so every reader's horizon (I4)
and every projection would stall while an auditor verifies. Pages come in binary (hashes as bytes, not hex
text), with JSON decoded by msgspec instead of the standard library (half of verify's time), from a reader
thread that fetches the next page while the caller checks this one (server and client work at once).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from .envelope import COLUMNS, RecordedEvent
from .postgres import PostgresEventStore
from .postgres_rows import event_from_row
from .store import EventStore

SCAN_SQL = (
    f"SELECT {COLUMNS} FROM event_log WHERE position > %s AND position < (SELECT partyledger_horizon()) "
    "ORDER BY position LIMIT %s"
)
_DONE = object()
T = TypeVar("T")


def scan(store: EventStore, *, batch: int = 10_000) -> Iterator[RecordedEvent]:
    """Every event below the horizon in position order, exactly as stored (never upcast)."""
    if not isinstance(store, PostgresEventStore):
        yield from store.iter_raw()
        return
    for rows in read_ahead(lambda: _pages(store, batch)):
        for row in rows:
            yield event_from_row(row)


def _pages(store: PostgresEventStore, batch: int) -> Iterator[list[Any]]:
    after = 0
    with store._connection() as connection:
        cursor = connection.cursor(binary=True)
        while rows := cursor.execute(SCAN_SQL, (after, batch)).fetchall():
            yield rows
            after = int(rows[-1][0])


def read_ahead(pages: Callable[[], Iterator[T]], depth: int = 4) -> Iterator[T]:
    """What `pages()` yields, produced on a reader thread up to `depth` ahead of the consumer: the database
    prepares the next page while the caller checks this one. The generator runs wholly on the reader
    thread (its connection too); a consumer that stops early stops it; its errors are raised here."""
    queued: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for page in pages():
                if stop.is_set():
                    return
                queued.put(page)
            queued.put(_DONE)
        except BaseException as exc:  # handed to the consumer, which raises it in its own thread
            queued.put(exc)

    reader = threading.Thread(target=produce, daemon=True)
    reader.start()
    try:
        while (page := queued.get()) is not _DONE:
            if isinstance(page, BaseException):
                raise page
            yield page
    finally:
        stop.set()
        while reader.is_alive():  # let a blocked reader put its page and see the stop
            with contextlib.suppress(queue.Empty):
                queued.get(timeout=0.1)
