"""Pages of a long read fetched on a reader thread while the caller checks the page before: the database
prepares the next page while Python hashes this one (server and client work at once). PostgreSQL's whole-log
scan (`iter_raw`) and each range of a parallel verify read this way.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

_DONE = object()
T = TypeVar("T")


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
