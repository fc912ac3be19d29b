"""Requests for files filed elsewhere (R-FILE-REQUEST) and their answers, as the log tells them.

Held per process by the `CommandContext` (like the citizen index), caught up from the log before each read:
`FileRequested` on the request's own stream, `FileHandedOver` / `FileRequestRefused` on the person's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from threading import Lock
from typing import Final

from domain.codec import EVENTS
from domain.person.erasure import PersonalDataErased
from domain.person.events import FileHandedOver, FileRequested, FileRequestRefused
from eventstore import EventStore, RecordedEvent
from eventstore.selection import HistoryFilter
from eventstore.store import opened

REQUEST_ID: Final = re.compile(r"file-request-[0-9a-f]{32}")
_EVENTS: Final = (FileRequested.event_type, FileHandedOver.event_type, FileRequestRefused.event_type)
_PAGE: Final = 1000


@dataclass(frozen=True)
class Answer:
    granted: bool
    reason: str
    on: date
    by: str


@dataclass(frozen=True)
class FileRequest:
    """One request as the log tells it: what was asked, by whom, and its answer once there is one."""

    request_id: str
    citizen_id: str
    cell_id: str
    reason: str
    requested_on: date
    requested_by: str
    answer: Answer | None = None

    @property
    def status(self) -> str:
        if self.answer is None:
            return "pending"
        return "granted" if self.answer.granted else "refused"


class RequestBook:
    """Every request and its answer, caught up from the log before each read (the log only grows, I1)."""

    def __init__(self) -> None:
        self._requests: dict[str, FileRequest] = {}
        self._position = 0
        self._last_erasure = 0
        self._lock = Lock()

    def all(self, store: EventStore) -> list[FileRequest]:
        with self._lock:
            self._catch_up(store)
            return list(self._requests.values())

    def get(self, store: EventStore, request_id: str) -> FileRequest | None:
        if not REQUEST_ID.fullmatch(request_id):
            return None
        with self._lock:
            self._catch_up(store)
            return self._requests.get(request_id)

    def _catch_up(self, store: EventStore) -> None:
        """New events since the last read; an erasure recorded since (by any process) makes the book read every
        request again, so none keeps in memory what the erasure destroyed."""
        wanted = HistoryFilter(event_types=(*_EVENTS, PersonalDataErased.event_type))
        erased_since = False
        while True:
            page = store.read_history(wanted, after_position=self._position, limit=_PAGE)
            store.cipher.prefetch(page)
            for event in page:
                if event.event_type == PersonalDataErased.event_type:
                    erased_since = erased_since or event.position > self._last_erasure
                    self._last_erasure = max(self._last_erasure, event.position)
                else:
                    self._note(opened(store.cipher, event))
                self._position = event.position
            if len(page) < _PAGE:
                break
        if erased_since:
            self._requests, self._position = {}, 0
            self._catch_up(store)  # once: the erasures read again are not newer than `_last_erasure`

    def _note(self, record: RecordedEvent) -> None:
        event = EVENTS.decode(record.event_type, record.schema_version, record.data)
        actor = str(record.metadata.get("actor", ""))
        if isinstance(event, FileRequested):
            self._requests.setdefault(
                record.stream_id,
                FileRequest(record.stream_id, event.citizen_id, event.cell_id, event.reason, record.occurred_on, actor),
            )
        elif isinstance(event, FileHandedOver | FileRequestRefused):
            found = self._requests.get(event.request_id)
            if found is not None and found.answer is None:
                granted = isinstance(event, FileHandedOver)
                answer = Answer(granted, event.reason, record.occurred_on, actor)
                self._requests[event.request_id] = replace(found, answer=answer)
