"""How the log refuses an append. Every refusal leaves the log exactly as it was."""

from __future__ import annotations


class EventStoreError(Exception):
    """Base of every refusal by the event store."""


class InvalidAppend(EventStoreError, ValueError):
    """The append itself is malformed (empty batch, unknown type, non-JSON data, bad stream id…)."""

    def __init__(self, reason: str, *, index: int | None = None) -> None:
        where = f"event {index}: " if index is not None else ""
        super().__init__(f"{where}{reason}")
        self.reason = reason
        self.index = index


class WrongExpectedVersion(EventStoreError):
    """I2: the caller decided on a stale version of the stream; nothing was written."""

    def __init__(self, stream_id: str, expected: int, current: int) -> None:
        super().__init__(f"stream {stream_id!r} is at version {current}, not {expected}")
        self.stream_id = stream_id
        self.expected = expected
        self.current = current


class IdempotencyKeyReused(EventStoreError):
    """I3: the idempotency key was already used for a different request; nothing was written."""

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was already used for a different request")
        self.key = key


class SchemaNotCurrent(EventStoreError):
    """The database's schema is behind this code and the connected role may not migrate it."""


class NotEmpty(EventStoreError):
    """A restore writes only into a log with no events and no seals."""

    def __init__(self) -> None:
        super().__init__("the log already holds events or seals: import only into an empty database")
