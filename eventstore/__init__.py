"""The append-only log: one interface (`EventStore`), a PostgreSQL and a SQLite adapter."""

from .envelope import AppendResult, Envelope, EventMetadata, LeanEvent, NewEvent, RecordedEvent
from .errors import (
    EventStoreError,
    IdempotencyKeyReused,
    InvalidAppend,
    WrongExpectedVersion,
)
from .factory import open_store
from .store import EventStore, Seal
from .verify import Problem, VerifyReport, verify_events
from .verify_ranges import verify_store

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
    "Problem",
    "RecordedEvent",
    "Seal",
    "VerifyReport",
    "WrongExpectedVersion",
    "open_store",
    "verify_events",
    "verify_store",
]
