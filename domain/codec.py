"""The event codec: which event types exist, their schema versions, and how old versions are upcast.

Events are a public contract (STYLE habit 6): a type is never renamed or repurposed; a changed shape gets a
new schema version and an upcaster from the previous one, so the log is read with today's classes while its
stored rows stay byte-for-byte what was written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, is_dataclass
from typing import Any, ClassVar, Protocol, TypeVar

import msgspec

JsonObject = dict[str, Any]
Upcaster = Callable[[JsonObject], JsonObject]


class DomainEvent(Protocol):
    """What the codec needs of an event class: a stable type name and its current schema version."""

    event_type: ClassVar[str]
    schema_version: ClassVar[int]


E = TypeVar("E", bound=type[Any])


class UnknownEventType(ValueError):
    """The log may only hold event types the codec knows, so every row can be read back."""

    def __init__(self, event_type: str) -> None:
        super().__init__(f"unknown event type {event_type!r}")
        self.event_type = event_type


class InvalidEventData(ValueError):
    """Data that does not fit its event type's schema must never reach the log."""

    def __init__(self, event_type: str, reason: str) -> None:
        super().__init__(f"invalid data for event type {event_type!r}: {reason}")
        self.event_type = event_type
        self.reason = reason


@dataclass
class EventCodec:
    """A registry of event classes (frozen dataclasses) with their upcasters."""

    _classes: dict[str, type[Any]] = field(default_factory=dict)
    _upcasters: dict[tuple[str, int], Upcaster] = field(default_factory=dict)
    _json_decoders: dict[type[Any], msgspec.json.Decoder[Any]] = field(default_factory=dict)

    def register(self, cls: E) -> E:
        """Class decorator: make an event type known; its name must be unique forever."""
        if not is_dataclass(cls):
            raise TypeError(f"{cls.__name__} must be a dataclass to be an event")
        name: str = getattr(cls, "event_type")  # noqa: B009  # a ClassVar the Protocol promises
        if name in self._classes and self._classes[name] is not cls:
            raise ValueError(f"event type {name!r} is already registered")
        self._classes[name] = cls
        return cls

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Decorator: turn data of `from_version` into data of `from_version + 1`."""

        def add(function: Upcaster) -> Upcaster:
            self._upcasters[(event_type, from_version)] = function
            return function

        return add

    def registered(self) -> Mapping[str, type[Any]]:
        """Every event type the log may hold, by name: what the privacy classes and the labels are checked over."""
        return dict(self._classes)

    def knows(self, event_type: str) -> bool:
        return event_type in self._classes

    def event_class(self, event_type: str) -> type[Any]:
        try:
            return self._classes[event_type]
        except KeyError:
            raise UnknownEventType(event_type) from None

    def current_version(self, event_type: str) -> int:
        version: int = self.event_class(event_type).schema_version
        return version

    def upcast(self, event_type: str, schema_version: int, data: Mapping[str, Any]) -> tuple[int, JsonObject]:
        """Bring stored data up to the current schema version, one step at a time."""
        current = self.current_version(event_type)
        result = dict(data)
        version = schema_version
        while version < current:
            step = self._upcasters.get((event_type, version))
            if step is None:
                raise InvalidEventData(event_type, f"no upcaster from schema version {version}")
            result = step(result)
            version += 1
        if version > current:
            raise InvalidEventData(event_type, f"schema version {schema_version} is newer than {current}")
        return version, result

    def encode(self, event: Any) -> tuple[str, int, JsonObject]:
        """An event object as (type, schema version, JSON-ready data)."""
        cls = type(event)
        name: str = cls.event_type
        if self._classes.get(name) is not cls:
            raise UnknownEventType(name)
        data = msgspec.to_builtins(event)
        return name, cls.schema_version, data

    def decode(self, event_type: str, schema_version: int, data: Mapping[str, Any]) -> Any:
        """Stored data as an event object of today's class (upcast first)."""
        cls = self.event_class(event_type)
        if schema_version != cls.schema_version:  # today's data is converted as it is, not copied first
            _, data = self.upcast(event_type, schema_version, data)
        try:
            return msgspec.convert(data, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise InvalidEventData(event_type, str(exc)) from exc

    def decode_json(self, event_type: str, schema_version: int, data_json: bytes | str) -> Any:
        """Stored JSON as an event object of today's class, parsed straight into it: the same result as
        `decode` of the parsed dictionary (a property test holds them equal), at a third of its cost."""
        cls = self.event_class(event_type)
        if schema_version != cls.schema_version:  # old data goes through the upcasters, as dictionaries
            return self.decode(event_type, schema_version, msgspec.json.decode(data_json))
        decoder = self._json_decoders.get(cls)
        if decoder is None:
            decoder = self._json_decoders[cls] = msgspec.json.Decoder(cls, strict=False)
        try:
            return decoder.decode(data_json)
        except msgspec.ValidationError as exc:
            raise InvalidEventData(event_type, str(exc)) from exc

    def validate(self, event_type: str, schema_version: int, data: Mapping[str, Any]) -> None:
        """Refuse data that could not be decoded back into its event class."""
        self.decode(event_type, schema_version, data)


EVENTS = EventCodec()
"""The codec of every event the domain defines; event modules register themselves on import."""
