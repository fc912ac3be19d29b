"""Events are a public contract: old rows are read through upcasters, and their hashes never change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from domain.codec import EventCodec
from eventstore import verify_store
from tests.support.events import CODEC, noted
from tests.support.stores import OpenLog


def codec_with_noted_v2() -> EventCodec:
    """Version 2 of `Noted` splits `text` into `title` and `body`."""
    codec = EventCodec()

    @codec.register
    @dataclass(frozen=True)
    class Noted:
        event_type: ClassVar[str] = "Noted"
        schema_version: ClassVar[int] = 2
        title: str
        body: str

    @codec.upcaster("Noted", from_version=1)
    def split_text(data: dict[str, Any]) -> dict[str, Any]:
        return {"title": data["text"][:10], "body": data["text"]}

    return codec


def test_old_events_are_read_at_the_current_schema_version(open_log: OpenLog) -> None:
    old = open_log(CODEC)
    old.append("file-1", [noted("Biên bản họp chi bộ")], expected_version=0)
    old.close()

    new = open_log(codec_with_noted_v2())
    [event] = new.read_stream("file-1")
    [from_unit] = new.read_unit("unit-cell-1").events

    assert event.schema_version == 2
    assert event.data == {"title": "Biên bản h", "body": "Biên bản họp chi bộ"}
    assert from_unit.schema_version == 1  # a unit read gives the data as stored; decoding upcasts it
    decoded = new.codec.decode_json(from_unit.event_type, from_unit.schema_version, from_unit.data_json)
    assert (decoded.title, decoded.body) == ("Biên bản h", "Biên bản họp chi bộ")
    assert verify_store(new).ok  # the stored v1 row and its hash are untouched
    assert next(iter(new.iter_raw())).schema_version == 1
    new.close()
