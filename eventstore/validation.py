"""Checks on an append before it touches the database, so bad input never half-writes (nothing lost,
nothing silent)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.codec import EventCodec, InvalidEventData, UnknownEventType

from .envelope import NewEvent
from .errors import InvalidAppend

MAX_STREAM_ID_LENGTH = 100
MAX_BATCH = 1000
MAX_DEPTH = 16
MAX_IDEMPOTENCY_KEY_LENGTH = 200
INT64 = 2**63
_STREAM_ID = re.compile(r"[a-z][a-z0-9]*-[A-Za-z0-9_.:-]+")


def check_stream_id(stream_id: object) -> str:
    if not isinstance(stream_id, str) or not stream_id:
        raise InvalidAppend("stream id must be a non-empty string")
    if len(stream_id) > MAX_STREAM_ID_LENGTH:
        raise InvalidAppend(f"stream id is {len(stream_id)} characters long; the limit is {MAX_STREAM_ID_LENGTH}")
    if not _STREAM_ID.fullmatch(stream_id):
        raise InvalidAppend(f"stream id {stream_id!r} must look like 'kind-identifier' (ASCII letters, digits)")
    return stream_id


def check_expected_version(expected_version: object) -> int:
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise InvalidAppend("expected version must be an integer")
    if expected_version < 0:
        raise InvalidAppend(f"expected version must be 0 (a new stream) or more, not {expected_version}")
    return expected_version


def check_idempotency_key(key: object) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise InvalidAppend(f"idempotency key must be 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} characters")
    if not key.isprintable():
        raise InvalidAppend("idempotency key must not contain control characters")
    return key


def check_json(value: Any, path: str = "data", depth: int = 0) -> None:
    """Only JSON that round-trips byte-identically through every adapter (hashes depend on it).

    Scalars inside a container are checked inline (this runs on every append's hot path); only nested
    containers recurse, and paths are only spelled out for an error.
    """
    kind = type(value)
    if kind is dict:
        pairs: Any = value.items()
    elif kind is list or kind is tuple:
        pairs = enumerate(value)
    else:
        _check_scalar(value, path)
        return
    if depth >= MAX_DEPTH:
        raise InvalidAppend(f"{path} is nested deeper than {MAX_DEPTH} levels")
    for key, item in pairs:
        if kind is dict and type(key) is not str:
            raise InvalidAppend(f"{path} has a non-string key {key!r}")
        item_kind = type(item)
        if item_kind is str:
            if "\x00" in item:
                raise InvalidAppend(f"{_join(path, key)} contains a NUL character")
        elif item_kind is dict or item_kind is list or item_kind is tuple:
            check_json(item, _join(path, key), depth + 1)
        elif item is not None and item_kind is not bool:
            _check_scalar(item, _join(path, key))


def _check_scalar(value: Any, path: str) -> None:
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            raise InvalidAppend(f"{path} contains a NUL character")
    elif kind is int:
        if not -INT64 <= value < INT64:
            raise InvalidAppend(f"{path} is an integer outside 64 bits")
    elif value is not None and kind is not bool:
        hint = " (use an integer or a decimal string)" if kind is float else ""
        raise InvalidAppend(f"{path} holds a {kind.__name__}, which is not allowed in the log{hint}")


def _join(path: str, key: object) -> str:
    return f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"


def check_event(codec: EventCodec, event: object, index: int) -> tuple[NewEvent, int]:
    """Validate one event against the codec and return it with its schema version resolved."""
    if not isinstance(event, NewEvent):
        raise InvalidAppend("each event must be a NewEvent", index=index)
    if type(event.data) is not dict:
        raise InvalidAppend("event data must be a JSON object (a dict)", index=index)
    if not isinstance(event.occurred_on, date) or not 1900 <= event.occurred_on.year <= 2200:
        raise InvalidAppend("occurred_on must be a date between 1900 and 2200", index=index)
    if not isinstance(event.unit_id, str) or not event.unit_id or len(event.unit_id) > MAX_STREAM_ID_LENGTH:
        raise InvalidAppend("unit_id must be a non-empty string", index=index)
    if event.also_unit_id is not None and (
        not isinstance(event.also_unit_id, str)
        or not event.also_unit_id
        or len(event.also_unit_id) > MAX_STREAM_ID_LENGTH
        or event.also_unit_id == event.unit_id
    ):
        raise InvalidAppend("also_unit_id must be another unit's id, or absent", index=index)
    try:
        check_json(event.data)
        version = event.schema_version or codec.current_version(event.event_type)
        codec.validate(event.event_type, version, event.data)
    except InvalidAppend as exc:
        raise InvalidAppend(exc.reason, index=index) from exc
    except (UnknownEventType, InvalidEventData) as exc:
        raise InvalidAppend(str(exc), index=index) from exc
    return event, version


def check_batch(codec: EventCodec, events: Sequence[NewEvent]) -> list[tuple[NewEvent, int]]:
    if isinstance(events, NewEvent) or not isinstance(events, Sequence):
        raise InvalidAppend("events must be a list of NewEvent")
    if not events:
        raise InvalidAppend("an append needs at least one event")
    if len(events) > MAX_BATCH:
        raise InvalidAppend(f"an append holds at most {MAX_BATCH} events, not {len(events)}")
    return [check_event(codec, event, index) for index, event in enumerate(events)]
