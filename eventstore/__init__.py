"""The append-only log: one interface (`EventStore`), a PostgreSQL, a SQLite and an in-memory adapter."""

from .envelope import AppendResult, Envelope, EventMetadata, LeanEvent, NewEvent, NewStream, RecordedEvent
from .errors import (
    EventStoreError,
    IdempotencyKeyReused,
    InvalidAppend,
    WrongExpectedVersion,
)
from .factory import open_store
from .store import EventStore, Seal
from .verify import verify_events, verify_store
from .verify_report import Problem, VerifyReport

__all__ = [
    "AppendResult",
    "Envelope",
    "EventMetadata",
    "EventStore",
    "EventStoreError",
    "IdempotencyKeyReused",
    "InvalidAppend",
    "LeanEvent",
    "NewEvent",
    "NewStream",
    "Problem",
    "RecordedEvent",
    "Seal",
    "VerifyReport",
    "WrongExpectedVersion",
    "open_store",
    "verify_events",
    "verify_store",
]
