"""Export the log (or the streams of a unit's subtree) as JSON Lines, and import such a file into an empty log.

Line 1 is a header, then one event per line in position order, then the seals, then an `end` line with the
counts (a truncated file is refused). Each event carries its position, both clocks, `prev_hash` and `hash`
exactly as stored, so an import recomputes every hash with `verify` itself and refuses a file whose line
does not fit, naming that line; nothing is written unless the whole file verifies. A subtree export holds
whole streams (a person who moved keeps their earlier events) but cannot prove seals, which bind the whole
log: its seals are not written, and its import checks hashes and chains only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import msgspec

from eventstore import EventStore, RecordedEvent, verify_events
from eventstore.canonical import format_recorded_at, parse_recorded_at
from eventstore.history import events_of_streams, streams_touching
from eventstore.restore import restore
from eventstore.store import Seal

FORMAT = "partyledger-export/1"
_ENCODER = msgspec.json.Encoder()


class ImportRefused(Exception):
    """The file does not verify; `line` is the first line that does not fit (1-based)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Exported:
    events: int
    seals: int


def _event_line(e: RecordedEvent) -> dict[str, Any]:
    return {
        "kind": "event",
        "position": e.position,
        "stream_id": e.stream_id,
        "stream_version": e.stream_version,
        "unit_id": e.unit_id,
        "also_unit_id": e.also_unit_id,
        "event_type": e.event_type,
        "schema_version": e.schema_version,
        "data": e.data,
        "metadata": e.metadata,
        "occurred_on": e.occurred_on.isoformat(),
        "recorded_at": format_recorded_at(e.recorded_at),
        "prev_hash": e.prev_hash.hex(),
        "hash": e.hash.hex(),
    }


def _seal_line(s: Seal) -> dict[str, Any]:
    """A signature travels with its seal (an unsigned one has none), so the import can be checked with the
    sealing key's public half."""
    signed = {} if s.signature is None else {"signature": s.signature.hex()}
    return signed | {
        "kind": "seal",
        "seal_number": s.seal_number,
        "up_to_position": s.up_to_position,
        "event_count": s.event_count,
        "prev_seal_hash": s.prev_seal_hash.hex(),
        "seal_hash": s.seal_hash.hex(),
        "sealed_at": format_recorded_at(s.sealed_at),
    }


def export_log(store: EventStore, out: IO[bytes], units: Sequence[str] | None = None) -> Exported:
    """Write the whole log with its seals, or every stream touching `units` (no seals)."""
    events: Iterable[RecordedEvent]
    if units is None:
        events, seals = store.iter_raw(), store.seals()
    else:
        events, seals = sorted(events_of_streams(store, streams_touching(store, units)), key=lambda e: e.position), []
    _write(out, {"kind": "header", "format": FORMAT, "units": list(units) if units is not None else None})
    count = 0
    for event in events:
        _write(out, _event_line(event))
        count += 1
    for seal in seals:
        _write(out, _seal_line(seal))
    _write(out, {"kind": "end", "events": count, "seals": len(seals)})
    return Exported(count, len(seals))


def _write(out: IO[bytes], line: dict[str, Any]) -> None:
    out.write(_ENCODER.encode(line) + b"\n")


def import_log(store: EventStore, path: Path) -> Exported:
    """Verify the whole file (structure, every hash and chain, and the seals of a full export), then write
    it into the empty log in one transaction."""
    header, seals, count = _scan(path)
    full = header.get("units") is None
    position_line: dict[int, int] = {}
    report = verify_events(_events(path, position_line), seals if full else [])
    if not report.ok:
        assert report.problem is not None
        line = position_line.get(report.problem.position, count + len(seals) + 2)
        raise ImportRefused(line, f"{report.problem.kind}: {report.problem.message}")
    written = restore(store, _events(path, {}), seals if full else [])
    return Exported(written, len(seals) if full else 0)


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as source:
        for number, raw in enumerate(source, start=1):
            try:
                value = msgspec.json.decode(raw)
            except msgspec.DecodeError as exc:
                raise ImportRefused(number, f"not JSON: {exc}") from exc
            if not isinstance(value, dict) or "kind" not in value:
                raise ImportRefused(number, "not a line of a Party Ledger export")
            yield number, value


def _scan(path: Path) -> tuple[dict[str, Any], list[Seal], int]:
    """The header, the seals and the event count; refuses a file cut short or out of order."""
    header: dict[str, Any] | None = None
    seals: list[Seal] = []
    events, ended = 0, False
    for number, line in _lines(path):
        kind = line["kind"]
        if ended or (header is None) != (kind == "header"):
            raise ImportRefused(number, "out of place: a file is a header, events, seals and an end line")
        if kind == "header":
            if line.get("format") != FORMAT:
                raise ImportRefused(number, f"not a {FORMAT} file")
            header = line
        elif kind == "event":
            if seals:
                raise ImportRefused(number, "an event after the seals")
            events += 1
        elif kind == "seal":
            seals.append(_parsed(number, line, _seal))
        elif kind == "end":
            if (line.get("events"), line.get("seals")) != (events, len(seals)):
                raise ImportRefused(
                    number, f"the end line counts other than the {events} events and {len(seals)} seals"
                )
            ended = True
        else:
            raise ImportRefused(number, f"unknown line kind {kind!r}")
    if header is None or not ended:
        raise ImportRefused(number if header else 1, "the file ends without its end line (truncated)")
    return header, seals, events


def _events(path: Path, position_line: dict[int, int]) -> Iterator[RecordedEvent]:
    last = 0
    for number, line in _lines(path):
        if line["kind"] == "event":
            event = _parsed(number, line, _event)
            if event.position <= last:
                raise ImportRefused(number, "positions must rise from line to line")
            position_line[event.position], last = number, event.position
            yield event


def _parsed(number: int, line: dict[str, Any], parse: Callable[[dict[str, Any]], Any]) -> Any:
    try:
        return parse(line)
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportRefused(number, f"malformed {line.get('kind')} line: {type(exc).__name__} {exc}") from exc


def _event(line: dict[str, Any]) -> RecordedEvent:
    if not isinstance(line["data"], dict) or not isinstance(line["metadata"], dict):
        raise TypeError("data and metadata must be JSON objects")
    return RecordedEvent(
        int(line["position"]),
        str(line["stream_id"]),
        int(line["stream_version"]),
        str(line["unit_id"]),
        str(line["event_type"]),
        int(line["schema_version"]),
        line["data"],
        line["metadata"],
        date.fromisoformat(line["occurred_on"]),
        parse_recorded_at(line["recorded_at"]),
        bytes.fromhex(line["prev_hash"]),
        bytes.fromhex(line["hash"]),
        line["also_unit_id"],
    )


def _seal(line: dict[str, Any]) -> Seal:
    return Seal(
        int(line["seal_number"]),
        int(line["up_to_position"]),
        int(line["event_count"]),
        bytes.fromhex(line["prev_seal_hash"]),
        bytes.fromhex(line["seal_hash"]),
        parse_recorded_at(line["sealed_at"]),
        bytes.fromhex(line["signature"]) if "signature" in line else None,
    )
